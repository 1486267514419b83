import { badRequest, conflict, forbidden } from '../../common/errors/domain-error';
import { unknownHouse } from '../users/users.errors';

export const notYourHouse = () =>
  forbidden('Only the coordinators of this house and admins may change its needs', 'NOT_YOUR_HOUSE');
export const needNotOpen = (status: string) => conflict('NEED_NOT_OPEN', `The need is ${status}; only an open need can be changed`, { status });
export const quantityBelowAllocated = (allocated: number) =>
  conflict('QUANTITY_BELOW_ALLOCATED', `quantity cannot be lower than the ${allocated} already promised to this need`, { allocated }, 'QUANTITY_BELOW_ALLOCATED_NEED');
export const neededByInPast = () => badRequest('NEEDED_BY_IN_PAST', 'neededBy must be today or a later day');
export const unknownHouseFilter = (slug: string) => unknownHouse(slug, 'house');
