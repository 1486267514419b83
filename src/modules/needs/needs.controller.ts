import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Public, Roles } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { Page } from '../../common/pagination/page';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { CancelNeedDto, CreateNeedDto, ListNeedsQueryDto, NeedResponseDto, toNeedResponse, UpdateNeedDto } from './dto/need.dto';
import { NeedsService } from './needs.service';

@ApiTags('needs')
@Controller('api/needs')
export class NeedsController {
  constructor(private readonly needs: NeedsService) {}

  @Post()
  @ApiBearerAuth()
  @Roles('coordinator', 'admin')
  @ApiCreatedResponse({ type: NeedResponseDto })
  @ApiForbiddenResponse({ description: 'A coordinator of another house' })
  async create(@CurrentUser() caller: AuthUser, @Body() dto: CreateNeedDto): Promise<NeedResponseDto> {
    return toNeedResponse(await this.needs.create(caller, dto));
  }

  @Get()
  @Public()
  @ApiPageResponse(NeedResponseDto)
  async list(@Query() query: ListNeedsQueryDto): Promise<Page<NeedResponseDto>> {
    return this.needs.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOkResponse({ type: NeedResponseDto })
  @ApiNotFoundResponse()
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<NeedResponseDto> {
    return toNeedResponse(await this.needs.get(id));
  }

  @Get(':id/history')
  @Public()
  @ApiOkResponse({ type: StatusChangeResponseDto, isArray: true })
  async history(@Param('id', ParseUUIDPipe) id: string): Promise<StatusChangeResponseDto[]> {
    return (await this.needs.historyOf(id)).map(toStatusChangeResponse);
  }

  @Patch(':id')
  @ApiBearerAuth()
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: NeedResponseDto })
  @ApiConflictResponse({ description: 'The need is no longer open, or the quantity is below what is promised' })
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateNeedDto,
  ): Promise<NeedResponseDto> {
    return toNeedResponse(await this.needs.update(caller, id, dto));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: NeedResponseDto })
  @ApiConflictResponse({ description: 'The need is fulfilled' })
  async cancel(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CancelNeedDto,
  ): Promise<NeedResponseDto> {
    return toNeedResponse(await this.needs.cancel(caller, id, dto));
  }
}
