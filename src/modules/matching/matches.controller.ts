import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Clock } from '../../common/time/clock';
import { ImpactQueryDto, ImpactResponseDto, toImpactResponse } from './dto/impact.dto';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { mapPage, Page } from '../../common/pagination/page';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { DeclineMatchDto, ListMatchesQueryDto, MatchResponseDto, toMatchResponse } from './dto/match.dto';
import { MatchesService } from './matches.service';

@ApiTags('matches')
@ApiBearerAuth()
@Controller('api/matches')
export class MatchesController {
  constructor(
    private readonly matches: MatchesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('donor', 'coordinator', 'admin')
  @ApiPageResponse(MatchResponseDto)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListMatchesQueryDto): Promise<Page<MatchResponseDto>> {
    return mapPage(await this.matches.list(caller, query), toMatchResponse);
  }

  @Get('impact')
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: ImpactResponseDto, description: 'Goods received this month and this year, per category' })
  @ApiForbiddenResponse({ description: 'A coordinator asking for another house' })
  async impact(@CurrentUser() caller: AuthUser, @Query() query: ImpactQueryDto): Promise<ImpactResponseDto> {
    return toImpactResponse(await this.matches.impact(caller, query.house, this.clock.now()));
  }

  @Get(':id')
  @Roles('donor', 'coordinator', 'admin')
  @ApiOkResponse({ type: MatchResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s to see' })
  async get(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MatchResponseDto> {
    return toMatchResponse(await this.matches.get(caller, id));
  }

  @Get(':id/history')
  @Roles('donor', 'coordinator', 'admin')
  @ApiOkResponse({ type: StatusChangeResponseDto, isArray: true })
  async history(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StatusChangeResponseDto[]> {
    return (await this.matches.historyOf(caller, id)).map(toStatusChangeResponse);
  }

  @Post(':id/accept')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: MatchResponseDto, description: 'Accepted; a pickup will be scheduled' })
  @ApiConflictResponse({ description: 'The match is no longer proposed' })
  async accept(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<MatchResponseDto> {
    return toMatchResponse(await this.matches.accept(caller, id));
  }

  @Post(':id/decline')
  @HttpCode(HttpStatus.OK)
  @Roles('coordinator', 'admin')
  @ApiOkResponse({ type: MatchResponseDto, description: 'Declined; the pair is never proposed again' })
  @ApiConflictResponse({ description: 'The match is no longer proposed' })
  async decline(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DeclineMatchDto,
  ): Promise<MatchResponseDto> {
    return toMatchResponse(await this.matches.decline(caller, id, dto));
  }
}
