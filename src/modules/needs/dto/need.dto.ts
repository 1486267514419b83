import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { IsOptionalNotNull, IsText, Trim } from '../../../common/validation/decorators';
import { Need, NEED_STATUSES, NeedStatus, URGENCIES, Urgency } from '../entities/need.entity';

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export class CreateNeedDto {
  @ApiProperty({ example: 'hejmo' })
  @IsString()
  @Matches(SLUG, { message: 'houseSlug must be the slug of a house', context: { i18n: 'houseSlug' } })
  houseSlug: string;

  @ApiProperty({ example: 'furniture-appliances' })
  @IsString()
  @Matches(SLUG, { message: 'categoryCode must be a category code', context: { i18n: 'categoryCode' } })
  categoryCode: string;

  @ApiProperty({ example: 'Bunk beds for three siblings', minLength: 1, maxLength: 200 })
  @IsText(1, 200)
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsText(0, 4000)
  description?: string;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 3 })
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity: number;

  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency: Urgency;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-20', description: 'The day by which the house needs it' })
  @IsOptional()
  @Trim()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'neededBy must be a date (YYYY-MM-DD)', context: { i18n: 'date' } })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'neededBy must be a date (YYYY-MM-DD)', context: { i18n: 'date' } })
  neededBy?: string;
}

export class UpdateNeedDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNotNull()
  @IsText(1, 200)
  title?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number;

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptionalNotNull()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String })
  @IsOptional()
  @IsText(0, 4000)
  description?: string | null;

  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'null removes the date' })
  @IsOptional()
  @Trim()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'neededBy must be a date (YYYY-MM-DD)', context: { i18n: 'date' } })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'neededBy must be a date (YYYY-MM-DD)', context: { i18n: 'date' } })
  neededBy?: string | null;
}

export class CancelNeedDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsText(0, 500)
  reason?: string;
}

export class ListNeedsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'hejmo', description: 'A house slug' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  house?: string;

  @ApiPropertyOptional({ example: 'school-supplies', description: 'A category code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  category?: string;

  @ApiPropertyOptional({ enum: NEED_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(NEED_STATUSES)
  status?: NeedStatus;
}

export class NeedResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  houseSlug: string;

  @ApiProperty()
  categoryCode: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ description: 'Promised by accepted and proposed matches' })
  quantityAllocated: number;

  @ApiProperty()
  quantityDelivered: number;

  @ApiProperty({ enum: URGENCIES })
  urgency: Urgency;

  @ApiProperty({ nullable: true, type: String, format: 'date' })
  neededBy: string | null;

  @ApiProperty({ enum: NEED_STATUSES })
  status: NeedStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export function toNeedResponse(need: Need & { house: { slug: string } }): NeedResponseDto {
  return {
    id: need.id,
    houseSlug: need.house.slug,
    categoryCode: need.categoryCode,
    title: need.title,
    description: need.description,
    quantity: need.quantity,
    quantityAllocated: need.quantityAllocated,
    quantityDelivered: need.quantityDelivered,
    urgency: need.urgency,
    neededBy: need.neededBy,
    status: need.status,
    createdAt: need.createdAt.toISOString(),
    updatedAt: need.updatedAt.toISOString(),
  };
}
