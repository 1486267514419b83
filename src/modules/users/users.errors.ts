import { badRequest, conflict } from '../../common/errors/domain-error';

export const emailTaken = () => conflict('EMAIL_TAKEN', 'An account with this e-mail address already exists');
export const unknownHouse = (slug: string, field = 'houseSlug') => badRequest('UNKNOWN_HOUSE', `${field} "${slug}" is not a house`, { field, slug });
export const houseOnlyForCoordinators = () =>
  badRequest('HOUSE_ONLY_FOR_COORDINATORS', 'houseSlug is only for a coordinator');
export const postcodeRequired = () =>
  badRequest('POSTCODE_REQUIRED', 'postcode is required for a volunteer: pickups are offered to the nearest volunteers');
export const passwordIsEmail = () => badRequest('PASSWORD_IS_EMAIL', 'password must not be your e-mail address');
