import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches as MatchesPattern, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { IsText } from '../../../common/validation/decorators';
import { MATCH_STATUSES, MatchStatus } from '../entities/match.entity';
import { PickupAreaDto } from '../../offers/dto/offer-response.dto';

export class ListMatchesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES, description: 'Without it: every status but cancelled' })
  @IsOptional()
  @IsIn(MATCH_STATUSES)
  status?: MatchStatus;

  @ApiPropertyOptional({ example: 'hejmo', description: 'A house slug' })
  @IsOptional()
  @IsString()
  @MatchesPattern(/^[a-z][a-z0-9-]{1,39}$/, { message: 'house must be the slug of a house', context: { i18n: 'houseSlug' } })
  house?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  offerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  needId?: string;
}

export class DeclineMatchDto {
  @ApiPropertyOptional({ maxLength: 500, example: 'We found beds elsewhere' })
  @IsOptional()
  @IsText(0, 500)
  @MaxLength(500)
  reason?: string;
}

export interface MatchView {
  id: string;
  offerId: string;
  needId: string;
  houseSlug: string;
  quantity: number;
  score: number;
  distanceKm: number;
  status: MatchStatus;
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  offerTitle: string;
  condition: string;
  pickupPostcode: string;
  pickupTown: string;
  needTitle: string;
  urgency: string;
}

export class MatchResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  offerId: string;

  @ApiProperty({ format: 'uuid' })
  needId: string;

  @ApiProperty()
  houseSlug: string;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ description: 'Value per unit given, see docs/matching.md' })
  score: number;

  @ApiProperty({ description: 'From the donor’s town to the house, in km' })
  distanceKm: number;

  @ApiProperty({ enum: MATCH_STATUSES })
  status: MatchStatus;

  @ApiPropertyOptional({ description: 'Why it was declined or cancelled' })
  reason?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  decidedAt: string | null;

  @ApiProperty()
  offerTitle: string;

  @ApiProperty({ enum: ['new', 'good', 'fair'] })
  condition: string;

  @ApiProperty({ type: PickupAreaDto, description: 'The donor’s postcode and town, never the street' })
  pickupArea: PickupAreaDto;

  @ApiProperty()
  needTitle: string;

  @ApiProperty({ enum: ['low', 'normal', 'high', 'urgent'] })
  urgency: string;
}

export function toMatchResponse(match: MatchView): MatchResponseDto {
  return {
    id: match.id,
    offerId: match.offerId,
    needId: match.needId,
    houseSlug: match.houseSlug,
    quantity: match.quantity,
    score: match.score,
    distanceKm: match.distanceKm,
    status: match.status,
    ...(match.reason ? { reason: match.reason } : {}),
    createdAt: match.createdAt.toISOString(),
    decidedAt: match.decidedAt?.toISOString() ?? null,
    offerTitle: match.offerTitle,
    condition: match.condition,
    pickupArea: { postcode: match.pickupPostcode, town: match.pickupTown },
    needTitle: match.needTitle,
    urgency: match.urgency,
  };
}
