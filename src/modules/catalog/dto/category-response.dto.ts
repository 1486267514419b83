import { ApiProperty } from '@nestjs/swagger';
import { LabelsDto } from '../../houses/dto/house-response.dto';
import { Category } from '../entities/category.entity';

export class CategoryResponseDto {
  @ApiProperty({ example: 'school-supplies' })
  code: string;

  @ApiProperty({ type: LabelsDto })
  labels: LabelsDto;
}

export function toCategoryResponse(category: Category): CategoryResponseDto {
  return { code: category.code, labels: { nl: category.labelNl, fr: category.labelFr, en: category.labelEn } };
}
