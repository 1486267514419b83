import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, OptionalUser, Public, Roles } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { Page } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { pickupsCalendar } from './calendar';
import { NotificationTexts } from '../notifications/messages';
import { CalendarLinkDto, CalendarQueryDto, CancelPickupDto, FailedPickupDto, ListPickupsQueryDto, MyPickupsQueryDto, PickupResponseDto } from './dto/pickup.dto';
import { toPickupResponse } from './pickup-response';
import { PickupsService, PickupView } from './pickups.service';

@ApiTags('pickups')
@ApiBearerAuth()
@Controller('api/pickups')
export class PickupsController {
  constructor(
    private readonly pickups: PickupsService,
    private readonly clock: Clock,
    private readonly texts: NotificationTexts,
  ) {}

  @Get()
  @ApiPageResponse(PickupResponseDto)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListPickupsQueryDto): Promise<Page<PickupResponseDto>> {
    return this.page(caller, await this.pickups.list(caller, query));
  }

  @Get('mine')
  @Roles('volunteer')
  @ApiPageResponse(PickupResponseDto)
  async mine(@CurrentUser() caller: AuthUser, @Query() query: MyPickupsQueryDto): Promise<Page<PickupResponseDto>> {
    return this.page(caller, await this.pickups.mine(caller, query));
  }

  @Get('mine.ics')
  @Public()
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'An iCalendar feed: one VEVENT per claimed pickup', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Neither a volunteer’s bearer token nor a valid calendar key' })
  async calendar(
    @OptionalUser() caller: AuthUser | undefined,
    @Query() query: CalendarQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const owner = await this.pickups.calendarOwner(caller, query.key);
    const feed = pickupsCalendar(await this.pickups.calendarOf(owner.id), this.clock.now(), (key, args) => this.texts.t(`calendar.${key}`, owner.language, args));
    // Set here, not with @Header: an error answer must stay JSON.
    void reply.header('content-type', 'text/calendar; charset=utf-8');
    return feed;
  }

  @Get('mine/calendar-link')
  @Roles('volunteer')
  @ApiOkResponse({ type: CalendarLinkDto, description: 'The address to subscribe to in a calendar app' })
  calendarLink(@CurrentUser() caller: AuthUser): CalendarLinkDto {
    return { path: `/api/pickups/mine.ics?key=${encodeURIComponent(this.pickups.calendarKeyOf(caller))}` };
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
