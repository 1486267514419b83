import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { Page } from '../../common/pagination/page';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { CreateOfferDto, ListOffersQueryDto, UpdateOfferDto, WithdrawOfferDto } from './dto/offer.dto';
import { OfferResponseDto, toOfferResponse } from './dto/offer-response.dto';
import { Offer } from './entities/offer.entity';
import { maySeeAddress, OffersService } from './offers.service';

@ApiTags('offers')
@ApiBearerAuth()
@Controller('api/offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post()
  @Roles('donor')
  @ApiCreatedResponse({ type: OfferResponseDto })
  async create(@CurrentUser() caller: AuthUser, @Body() dto: CreateOfferDto): Promise<OfferResponseDto> {
    return this.respond(caller, await this.offers.create(caller, dto));
  }

  @Get()
  @Roles('donor', 'coordinator', 'admin')
  @ApiPageResponse(OfferResponseDto)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListOffersQueryDto): Promise<Page<OfferResponseDto>> {
    const page = await this.offers.list(caller, query);
    return { items: page.items.map((offer) => this.respond(caller, offer)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('donor', 'coordinator', 'admin')
  @ApiOkResponse({ type: OfferResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown, or another donor’s offer' })
  async get(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<OfferResponseDto> {
    return this.respond(caller, await this.offers.get(caller, id));
  }

  @Get(':id/history')
  @Roles('donor', 'coordinator', 'admin')
  @ApiOkResponse({ type: StatusChangeResponseDto, isArray: true })
  async history(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<StatusChangeResponseDto[]> {
    return (await this.offers.historyOf(caller, id)).map(toStatusChangeResponse);
  }

  @Patch(':id')
  @Roles('donor', 'admin')
  @ApiOkResponse({ type: OfferResponseDto })
  @ApiConflictResponse({ description: 'The offer is closed, withdrawn or expired, or the quantity is below what is promised' })
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateOfferDto,
  ): Promise<OfferResponseDto> {
    return this.respond(caller, await this.offers.update(caller, id, dto));
  }

  @Post(':id/withdraw')
  @HttpCode(HttpStatus.OK)
  @Roles('donor', 'admin')
  @ApiOkResponse({ type: OfferResponseDto })
  @ApiConflictResponse({ description: 'The offer is closed or expired' })
  async withdraw(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: WithdrawOfferDto,
  ): Promise<OfferResponseDto> {
    return this.respond(caller, await this.offers.withdraw(caller, id, dto));
  }

  private respond(caller: AuthUser, offer: Offer): OfferResponseDto {
    return toOfferResponse(offer, { withAddress: maySeeAddress(caller, offer) });
  }
}
