import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches as MatchesPattern } from 'class-validator';

export class ImpactQueryDto {
  @ApiPropertyOptional({ example: 'hejmo', description: 'A house slug (admins); a coordinator always sees their own house' })
  @IsOptional()
  @IsString()
  @MatchesPattern(/^[a-z][a-z0-9-]{1,39}$/, { message: 'house must be the slug of a house', context: { i18n: 'houseSlug' } })
  house?: string;
}

export class ImpactCategoryDto {
  @ApiProperty({ example: 'school-supplies' })
  categoryCode: string;

  @ApiProperty({ description: 'Units delivered since the first day of this month (Brussels time)' })
  month: number;

  @ApiProperty({ description: 'Units delivered since the first of January (Brussels time)' })
  year: number;
}

export class ImpactResponseDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null: every house together (admins without a house filter)' })
  houseSlug: string | null;

  @ApiProperty({ format: 'date-time', description: 'Midnight of the first day of this month in Brussels' })
  monthStart: string;

  @ApiProperty({ format: 'date-time', description: 'Midnight of the first of January in Brussels' })
  yearStart: string;

  @ApiProperty({ type: ImpactCategoryDto, isArray: true, description: 'Only categories with a delivery this year' })
  categories: ImpactCategoryDto[];
}

export function toImpactResponse(impact: {
  houseSlug: string | null;
  monthStart: Date;
  yearStart: Date;
  categories: ImpactCategoryDto[];
}): ImpactResponseDto {
  return {
    houseSlug: impact.houseSlug,
    monthStart: impact.monthStart.toISOString(),
    yearStart: impact.yearStart.toISOString(),
    categories: impact.categories.map(({ categoryCode, month, year }) => ({ categoryCode, month, year })),
  };
}
