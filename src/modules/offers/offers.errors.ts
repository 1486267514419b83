import { badRequest, conflict } from '../../common/errors/domain-error';

export const offerNotChangeable = (status: string) =>
  conflict('OFFER_NOT_CHANGEABLE', `The offer is ${status}; only an open or allocated offer can be changed`, { status });
export const offerNotWithdrawable = (status: string) =>
  conflict('OFFER_NOT_WITHDRAWABLE', `The offer is ${status} and can no longer be withdrawn`, { status });
export const quantityBelowAllocated = (allocated: number) =>
  conflict('QUANTITY_BELOW_ALLOCATED', `quantity cannot be lower than the ${allocated} already promised to houses`, { allocated }, 'QUANTITY_BELOW_ALLOCATED_OFFER');
export const noFutureWindow = () =>
  badRequest('NO_FUTURE_AVAILABILITY', 'availability must contain at least one window that ends in the future');
export const windowTooLong = (index: number, days: number) =>
  badRequest('WINDOW_TOO_LONG', `availability.${index} must not be longer than ${days} days`, { index, days });
export const windowTooFar = (index: number, days: number) =>
  badRequest('WINDOW_TOO_FAR', `availability.${index} must end within ${days} days from now`, { index, days });
