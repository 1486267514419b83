/** The source of "now" for all code that depends on it; tests provide a fixed one. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export const BRUSSELS = 'Europe/Brussels';

const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: BRUSSELS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day (YYYY-MM-DD) that it is in Brussels at the given instant. */
export function brusselsDate(instant: Date): string {
  return brusselsDay.format(instant);
}
