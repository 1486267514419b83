import { AuthUser } from '../../common/auth/auth-user';
import { PickupResponseDto } from './dto/pickup.dto';
import { maySeeAddress, PickupView } from './pickups.service';

export function toPickupResponse(caller: AuthUser, pickup: PickupView): PickupResponseDto {
  return {
    id: pickup.id,
    status: pickup.status,
    houseSlug: pickup.houseSlug,
    offerId: pickup.offerId,
    windowStart: pickup.windowStart?.toISOString() ?? null,
    windowEnd: pickup.windowEnd?.toISOString() ?? null,
    size: pickup.size,
    items: pickup.items,
    volunteerId: pickup.volunteerId,
    pickupArea: { postcode: pickup.postcode, town: pickup.town },
    ...(maySeeAddress(caller, pickup)
      ? { pickupAddress: { street: pickup.street, postcode: pickup.postcode, town: pickup.town, phone: pickup.phone } }
      : {}),
    ...(pickup.distanceKm !== undefined ? { distanceKm: pickup.distanceKm } : {}),
    createdAt: pickup.createdAt.toISOString(),
  };
}
