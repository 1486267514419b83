import { AvailabilityWindowDto } from './dto/offer.dto';
import { noFutureWindow, windowTooFar, windowTooLong } from './offers.errors';

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_WINDOW_DAYS = 14;
export const MAX_HORIZON_DAYS = 366;

export interface Window {
  startsAt: Date;
  endsAt: Date;
}

/**
 * Checks a donor's availability against "now" and returns it as instants. The
 * shape (from < to, 1 to 20 windows) is checked by the DTO; this adds what
 * depends on the clock, and bounds that keep scheduling meaningful.
 */
export function parseAvailability(windows: AvailabilityWindowDto[], now: Date): Window[] {
  const parsed = windows.map((window) => ({ startsAt: new Date(window.from), endsAt: new Date(window.to) }));
  parsed.forEach((window, index) => {
    if (window.endsAt.getTime() - window.startsAt.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
      throw windowTooLong(index, MAX_WINDOW_DAYS);
    }
    if (window.endsAt.getTime() > now.getTime() + MAX_HORIZON_DAYS * DAY_MS) throw windowTooFar(index, MAX_HORIZON_DAYS);
  });
  if (!parsed.some((window) => window.endsAt.getTime() > now.getTime())) throw noFutureWindow();
  return parsed.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
