import { createHmac, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../../common/validation/uuid';

function signature(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(`calendar:${userId}`).digest('base64url').slice(0, 32);
}

/**
 * A calendar app cannot send a bearer token, so the feed's link carries a key of its own:
 * the volunteer's id signed with the service secret. It opens the calendar and nothing else.
 */
export function calendarKey(secret: string, userId: string): string {
  return `${userId}.${signature(secret, userId)}`;
}

/** The volunteer a calendar key was made for, or null for a key this service did not sign. */
export function calendarKeyOwner(secret: string, key: string): string | null {
  const [userId, given] = key.split('.');
  if (!userId || !given || !isUuid(userId)) return null;
  const expected = Buffer.from(signature(secret, userId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? userId : null;
}
