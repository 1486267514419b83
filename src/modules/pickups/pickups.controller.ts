import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { Page, PageQueryDto } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { pickupsCalendar } from './calendar';
import { CancelPickupDto, FailedPickupDto, ListPickupsQueryDto, PickupResponseDto } from './dto/pickup.dto';
import { toPickupResponse } from './pickup-response';
import { PickupsService, PickupView } from './pickups.service';

@ApiTags('pickups')
@ApiBearerAuth()
@Controller('api/pickups')
export class PickupsController {
  constructor(
    private readonly pickups: PickupsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiPageResponse(PickupResponseDto)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListPickupsQueryDto): Promise<Page<PickupResponseDto>> {
    return this.page(caller, await this.pickups.list(caller, query));
  }

  @Get('mine')
  @Roles('volunteer')
  @ApiPageResponse(PickupResponseDto)
  async mine(@CurrentUser() caller: AuthUser, @Query() query: PageQueryDto): Promise<Page<PickupResponseDto>> {
    return this.page(caller, await this.pickups.mine(caller, query));
  }

  @Get('mine.ics')
  @Roles('volunteer')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'An iCalendar feed: one VEVENT per claimed pickup', schema: { type: 'string' } })
  async calendar(@CurrentUser() caller: AuthUser): Promise<string> {
    return pickupsCalendar(await this.pickups.calendarOf(caller), this.clock.now());
  }

  @Get(':id')
  @ApiOkResponse({ type: PickupResponseDto })
  @ApiNotFoundResponse()
  async get(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.get(caller, id));
  }

  @Get(':id/history')
  @ApiOkResponse({ type: StatusChangeResponseDto, isArray: true })
  async history(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StatusChangeResponseDto[]> {
    return (await this.pickups.historyOf(caller, id)).map(toStatusChangeResponse);
  }

  @Post(':id/claim')
  @HttpCode(HttpStatus.OK)
  @Roles('volunteer')
  @ApiOkResponse({ type: PickupResponseDto })
  @ApiConflictResponse({ description: 'Claimed by someone else, no window yet, or overlapping one of yours' })
  @ApiForbiddenResponse({ description: 'The vehicle is too small for the pickup' })
  async claim(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.claim(caller, id));
  }

  @Post(':id/release')
  @HttpCode(HttpStatus.OK)
  @Roles('volunteer')
  @ApiOkResponse({ type: PickupResponseDto })
  async release(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.release(caller, id));
  }

  @Post(':id/collected')
  @HttpCode(HttpStatus.OK)
  @Roles('volunteer')
  @ApiOkResponse({ type: PickupResponseDto })
  async collected(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.collected(caller, id));
  }

  @Post(':id/delivered')
  @HttpCode(HttpStatus.OK)
  @Roles('volunteer', 'coordinator', 'admin')
  @ApiOkResponse({ type: PickupResponseDto })
  async delivered(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.delivered(caller, id));
  }

  @Post(':id/failed')
  @HttpCode(HttpStatus.OK)
  @Roles('volunteer')
  @ApiOkResponse({ type: PickupResponseDto })
  async failed(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: FailedPickupDto,
  ): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.failed(caller, id, dto));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: PickupResponseDto })
  async cancel(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CancelPickupDto,
  ): Promise<PickupResponseDto> {
    return toPickupResponse(caller, await this.pickups.cancel(caller, id, dto));
  }

  private page(caller: AuthUser, page: Page<PickupView>): Page<PickupResponseDto> {
    return { items: page.items.map((pickup) => toPickupResponse(caller, pickup)), nextCursor: page.nextCursor };
  }
}
