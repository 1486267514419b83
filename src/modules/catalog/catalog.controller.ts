import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import { CatalogService } from './catalog.service';
import { CategoryResponseDto, toCategoryResponse } from './dto/category-response.dto';

@ApiTags('reference data')
@Public()
@Controller('api/categories')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOkResponse({ type: CategoryResponseDto, isArray: true })
  async list(): Promise<CategoryResponseDto[]> {
    return (await this.catalog.list()).map(toCategoryResponse);
  }
}
