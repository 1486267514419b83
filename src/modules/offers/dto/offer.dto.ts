import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { IsAfter, IsBelgianPostcode, IsInstant, IsOptionalNotNull, IsText } from '../../../common/validation/decorators';
import { CONDITIONS, Condition, OFFER_STATUSES, OfferStatus, SIZES, Size } from '../entities/offer.entity';

export const MAX_WINDOWS = 20;

export class PickupAddressDto {
  @ApiProperty({ example: 'Kerkstraat 12' })
  @IsText(1, 200)
  street: string;

  @ApiProperty({ example: '9000', description: 'Belgian postcode, 4 digits' })
  @IsBelgianPostcode()
  postcode: string;

  @ApiProperty({ example: 'Gent' })
  @IsText(1, 100)
  town: string;
}

export class AvailabilityWindowDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:00:00+01:00' })
  @IsInstant()
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T12:00:00+01:00' })
  @IsInstant()
  @IsAfter('from')
  to: string;
}

export class CreateOfferDto {
  @ApiProperty({ example: 'school-supplies' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'categoryCode must be a category code', context: { i18n: 'categoryCode' } })
  categoryCode: string;

  @ApiProperty({ example: "20 children's books", maxLength: 200 })
  @IsText(1, 200)
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsText(0, 4000)
  description?: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 20 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;

  @ApiProperty({ enum: CONDITIONS })
  @IsIn(CONDITIONS)
  condition: Condition;

  @ApiProperty({ enum: SIZES, description: 'small: a bike or any car; medium: a car; large: a van' })
  @IsIn(SIZES)
  size: Size;

  @ApiProperty({ type: PickupAddressDto })
  @IsObject({ message: 'pickupAddress must be an object with street, postcode and town', context: { i18n: 'pickupAddress' } })
  @ValidateNested()
  @Type(() => PickupAddressDto)
  pickupAddress: PickupAddressDto;

  @ApiProperty({
    type: AvailabilityWindowDto,
    isArray: true,
    minItems: 1,
    maxItems: MAX_WINDOWS,
    description: 'When the donor is at home; at least one window must end in the future',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'availability must contain at least one window', context: { i18n: 'availabilityMin' } })
  @ArrayMaxSize(MAX_WINDOWS, { message: `availability must contain at most ${MAX_WINDOWS} windows`, context: { i18n: 'availabilityMax' } })
  @ValidateNested({ each: true })
  @Type(() => AvailabilityWindowDto)
  availability: AvailabilityWindowDto[];
}

/** What a donor may still change; availability, when given, replaces the windows. */
export class UpdateOfferDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNotNull()
  @IsText(1, 200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsText(0, 4000)
  description?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number;

  @ApiPropertyOptional({ enum: CONDITIONS })
  @IsOptionalNotNull()
  @IsIn(CONDITIONS)
  condition?: Condition;

  @ApiPropertyOptional({ enum: SIZES })
  @IsOptionalNotNull()
  @IsIn(SIZES)
  size?: Size;

  @ApiPropertyOptional({ type: PickupAddressDto })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => PickupAddressDto)
  pickupAddress?: PickupAddressDto;

  @ApiPropertyOptional({ type: AvailabilityWindowDto, isArray: true, minItems: 1, maxItems: MAX_WINDOWS })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1, { message: 'availability must contain at least one window', context: { i18n: 'availabilityMin' } })
  @ArrayMaxSize(MAX_WINDOWS, { message: `availability must contain at most ${MAX_WINDOWS} windows`, context: { i18n: 'availabilityMax' } })
  @ValidateNested({ each: true })
  @Type(() => AvailabilityWindowDto)
  availability?: AvailabilityWindowDto[];
}

export class WithdrawOfferDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsText(0, 500)
  reason?: string;
}

export class ListOffersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OFFER_STATUSES })
  @IsOptional()
  @IsIn(OFFER_STATUSES)
  status?: OfferStatus;

  @ApiPropertyOptional({ example: 'school-supplies' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'category must be a category code', context: { i18n: 'categoryCode' } })
  category?: string;
}
