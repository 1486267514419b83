/**
 * Every error the domain raises on purpose. Its code is stable (clients may
 * switch on it); its HTTP status is decided in one place, the exception filter.
 */
export type ErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict';

export type ErrorArgs = Record<string, string | number>;

/**
 * The message is the English text; the answer is written in the caller's language from
 * src/i18n/<language>/errors.json, under `key` (the code, unless one code has several texts),
 * with `args` filled in.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly args: ErrorArgs = {},
    readonly key: string = code,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: 'Offer' | 'Need' | 'Match' | 'Pickup' | 'House' | 'User' | 'Notification') =>
  new DomainError('not-found', 'NOT_FOUND', `${what} not found`, {}, `NOT_FOUND_${what.toUpperCase()}`);
export const forbidden = (message: string, code = 'FORBIDDEN', args: ErrorArgs = {}, key = code) => new DomainError('forbidden', code, message, args, key);
export const conflict = (code: string, message: string, args: ErrorArgs = {}, key = code) => new DomainError('conflict', code, message, args, key);
export const badRequest = (code: string, message: string, args: ErrorArgs = {}, key = code) => new DomainError('bad-request', code, message, args, key);
export const unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);

// Raised in several modules.
export const invalidCursor = () => badRequest('INVALID_CURSOR', 'cursor is not a cursor this API returned');
export const tokenRequired = () => unauthorized('TOKEN_REQUIRED', 'A bearer token is required');
export const tokenInvalid = () => unauthorized('TOKEN_INVALID', 'The token is invalid or expired');
export const wrongCredentials = () => unauthorized('WRONG_CREDENTIALS', 'Wrong e-mail address or password');
export const calendarKeyRequired = () => unauthorized('CALENDAR_KEY_REQUIRED', 'A bearer token or a calendar key is required');
export const roleRequired = (roles: string[]) =>
  forbidden(`This action is for ${roles.join(' / ')} accounts`, 'ROLE_REQUIRED', { roles: roles.join(' / ') });
export const unknownCategory = (field: string, code: string) =>
  badRequest('UNKNOWN_CATEGORY', `${field} "${code}" is not a category`, { field, code });
export const impactOfOwnHouse = () => forbidden('A coordinator sees the impact of their own house only', 'FORBIDDEN', {}, 'IMPACT_OWN_HOUSE');
export const adminNotErasable = () => forbidden('An admin account cannot be erased this way', 'ADMIN_NOT_ERASABLE');
