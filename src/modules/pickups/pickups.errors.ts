import { badRequest, conflict, forbidden } from '../../common/errors/domain-error';

export const pickupAlreadyAssigned = () =>
  conflict('PICKUP_ALREADY_ASSIGNED', 'Another volunteer has claimed this pickup, or it is no longer open');
export const pickupHasNoWindow = () =>
  conflict('PICKUP_HAS_NO_WINDOW', 'This pickup waits for the donor to add availability and cannot be claimed yet');
export const vehicleTooSmall = (size: string) =>
  forbidden(`A ${size} pickup needs ${size === 'large' ? 'a van' : 'a car or a van'}`, 'VEHICLE_TOO_SMALL', {}, `VEHICLE_TOO_SMALL_${size.toUpperCase()}`);
export const pickupOverlaps = () =>
  conflict('PICKUP_OVERLAPS', 'You already hold a pickup whose window overlaps this one');
const ACTIONS = { released: 'RELEASED', 'marked collected': 'COLLECTED', delivered: 'DELIVERED', 'reported as failed': 'FAILED', cancelled: 'CANCELLED' } as const;
export const pickupWrongState = (status: string, action: keyof typeof ACTIONS) =>
  conflict('PICKUP_WRONG_STATE', `The pickup is ${status}; it cannot be ${action}`, { status }, `PICKUP_WRONG_STATE_${ACTIONS[action]}`);
export const notYourPickup = () => forbidden('Only the volunteer holding this pickup may do that', 'NOT_YOUR_PICKUP');
export const volunteersListUnassigned = () =>
  badRequest('VOLUNTEERS_LIST_UNASSIGNED', 'status: volunteers list unassigned pickups; yours are at /api/pickups/mine');
export const pickupInProgress = () =>
  conflict('PICKUP_IN_PROGRESS', 'You are carrying goods of a pickup: deliver it before you erase your account');
