import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import { notFound } from '../../common/errors/domain-error';
import { HouseResponseDto, toHouseResponse } from './dto/house-response.dto';
import { HousesService } from './houses.service';

@ApiTags('reference data')
@Public()
@Controller('api/houses')
export class HousesController {
  constructor(private readonly houses: HousesService) {}

  @Get()
  @ApiOkResponse({ type: HouseResponseDto, isArray: true })
  async list(): Promise<HouseResponseDto[]> {
    return (await this.houses.list()).map(toHouseResponse);
  }

  @Get(':slug')
  @ApiOkResponse({ type: HouseResponseDto })
  @ApiNotFoundResponse()
  async get(@Param('slug') slug: string): Promise<HouseResponseDto> {
    const house = await this.houses.findBySlug(slug);
    if (!house) throw notFound('House');
    return toHouseResponse(house);
  }
}
