import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONDITIONS, Condition, Offer, OFFER_STATUSES, OfferStatus, SIZES, Size } from '../entities/offer.entity';
import { OfferWindow } from '../entities/offer-window.entity';

export class PickupAreaDto {
  @ApiProperty({ example: '9000' })
  postcode: string;

  @ApiProperty({ example: 'Gent' })
  town: string;
}

export class PickupAddressResponseDto extends PickupAreaDto {
  @ApiProperty({ nullable: true, type: String, description: 'Null once the donor has erased their data' })
  street: string | null;
}

export class WindowResponseDto {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;
}

export class OfferResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  categoryCode: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ description: 'Promised to needs by proposed and accepted matches' })
  quantityAllocated: number;

  @ApiProperty()
  quantityDelivered: number;

  @ApiProperty({ enum: CONDITIONS })
  condition: Condition;

  @ApiProperty({ enum: SIZES })
  size: Size;

  @ApiProperty({ enum: OFFER_STATUSES })
  status: OfferStatus;

  @ApiProperty({ type: PickupAreaDto, description: 'Where the goods are, without the street' })
  pickupArea: PickupAreaDto;

  @ApiPropertyOptional({ type: PickupAddressResponseDto, description: 'Only for the donor and admins' })
  pickupAddress?: PickupAddressResponseDto;

  @ApiProperty({ type: WindowResponseDto, isArray: true })
  availability: WindowResponseDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export function toOfferResponse(offer: Offer, options: { withAddress: boolean }): OfferResponseDto {
  return {
    id: offer.id,
    categoryCode: offer.categoryCode,
    title: offer.title,
    description: offer.description,
    quantity: offer.quantity,
    quantityAllocated: offer.quantityAllocated,
    quantityDelivered: offer.quantityDelivered,
    condition: offer.condition,
    size: offer.size,
    status: offer.status,
    pickupArea: { postcode: offer.pickupPostcode, town: offer.pickupTown },
    ...(options.withAddress
      ? { pickupAddress: { street: offer.pickupStreet, postcode: offer.pickupPostcode, town: offer.pickupTown } }
      : {}),
    availability: (offer.windows ?? []).map(toWindowResponse),
    createdAt: offer.createdAt.toISOString(),
    updatedAt: offer.updatedAt.toISOString(),
  };
}

function toWindowResponse(window: OfferWindow): WindowResponseDto {
  return { from: window.startsAt.toISOString(), to: window.endsAt.toISOString() };
}
