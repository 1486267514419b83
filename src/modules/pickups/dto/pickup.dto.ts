import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { IsText } from '../../../common/validation/decorators';
import { FAILURE_REASONS, FailureReason, PICKUP_STATUSES, PickupStatus } from '../entities/pickup.entity';

export class ListPickupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PICKUP_STATUSES, description: 'Volunteers list the unassigned pickups their vehicle can carry, nearest first' })
  @IsOptional()
  @IsIn(PICKUP_STATUSES)
  status?: PickupStatus;
}

export class MyPickupsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PICKUP_STATUSES, description: 'Only the pickups in this state (assigned and collected are the ones still to do)' })
  @IsOptional()
  @IsIn(PICKUP_STATUSES)
  status?: PickupStatus;
}

export class FailedPickupDto {
  @ApiProperty({ enum: FAILURE_REASONS })
  @IsIn(FAILURE_REASONS)
  reason: FailureReason;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsText(0, 1000)
  note?: string;
}

export class CancelPickupDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsText(0, 500)
  reason?: string;
}

export class PickupItemDto {
  @ApiProperty({ format: 'uuid' })
  matchId: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ description: 'What the item is for at the house' })
  needTitle: string;
}

export class PickupAreaResponseDto {
  @ApiProperty()
  postcode: string;

  @ApiProperty()
  town: string;
}

export class PickupAddressDto extends PickupAreaResponseDto {
  @ApiProperty({ nullable: true, type: String })
  street: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The donor’s phone' })
  phone: string | null;
}

export class PickupResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: PICKUP_STATUSES })
  status: PickupStatus;

  @ApiProperty()
  houseSlug: string;

  @ApiProperty({ format: 'uuid', description: 'The offer whose goods this pickup carries' })
  offerId: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null while the donor must add availability' })
  windowStart: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  windowEnd: string | null;

  @ApiProperty({ enum: ['small', 'medium', 'large'] })
  size: string;

  @ApiProperty({ type: PickupItemDto, isArray: true })
  items: PickupItemDto[];

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  volunteerId: string | null;

  @ApiProperty({ type: PickupAreaResponseDto })
  pickupArea: PickupAreaResponseDto;

  @ApiPropertyOptional({ type: PickupAddressDto, description: 'Only for the assigned volunteer, the house’s coordinators, the donor and admins' })
  pickupAddress?: PickupAddressDto;

  @ApiPropertyOptional({ description: 'From the caller (a volunteer) to the donor, in km' })
  distanceKm?: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class CalendarQueryDto {
  @ApiPropertyOptional({ description: 'The key from /api/pickups/mine/calendar-link, for calendar apps that cannot send a token' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;
}

export class CalendarLinkDto {
  @ApiProperty({ example: '/api/pickups/mine.ics?key=…', description: 'Relative to the service’s address' })
  path: string;
}
