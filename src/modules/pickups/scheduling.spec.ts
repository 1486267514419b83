import fc from 'fast-check';
import {
  belgianHolidays,
  brusselsDay,
  brusselsInstant,
  chooseWindow,
  DEFAULT_RECEIVING_HOURS,
  easterSunday,
  Interval,
  isBelgianHoliday,
  MAX_WINDOW_MS,
  mergeTouching,
  MIN_WINDOW_MS,
  ReceivingHours,
  reminderAt,
  WindowRequest,
} from './scheduling';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Tuesday 1 December 2026, 09:00 in Brussels: the instant the e2e suites start from too. */
const NOW = new Date('2026-12-01T09:00:00+01:00');

const interval = (start: string, end: string): Interval => ({ start: new Date(start), end: new Date(end) });
const iso = (window: Interval | null) => (window ? { start: window.start.toISOString(), end: window.end.toISOString() } : null);

function choose(availability: Interval[], overrides: Partial<WindowRequest> = {}) {
  return iso(chooseWindow({ availability, now: NOW, leadMs: 24 * HOUR, receiving: DEFAULT_RECEIVING_HOURS, ...overrides }));
}

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('is right for %i', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });
});

describe('Belgian public holidays', () => {
  it('are the ten days of 2026', () => {
    expect([...belgianHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-25',
      '2026-07-21',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('follow Easter in other years (Easter Monday, Ascension, Whit Monday)', () => {
    const holidays = belgianHolidays(2027);
    expect(holidays.size).toBe(10);
    expect(['2027-03-29', '2027-05-06', '2027-05-17'].every((day) => holidays.has(day))).toBe(true);
  });

  it('are recognised day by day, and ordinary days are not', () => {
    expect(['2026-01-01', '2026-04-06', '2026-05-14', '2026-07-21', '2026-12-25', '2027-03-29'].map(isBelgianHoliday)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    // Easter Sunday and Whit Sunday are Sundays, not on the list; Boxing Day is no holiday in Belgium.
    expect(['2026-04-05', '2026-05-24', '2026-12-26', '2026-12-24', '2026-04-07'].map(isBelgianHoliday)).toEqual([false, false, false, false, false]);
  });
});

describe('Brussels time', () => {
  it.each([
    ['2026-03-28', '09:00', '2026-03-28T08:00:00.000Z'], // the Saturday before summer time: UTC+1
    ['2026-03-29', '09:00', '2026-03-29T07:00:00.000Z'], // summer time from 02:00 that Sunday: UTC+2
    ['2026-10-24', '09:00', '2026-10-24T07:00:00.000Z'], // the Saturday before winter time: UTC+2
    ['2026-10-25', '09:00', '2026-10-25T08:00:00.000Z'], // winter time from 03:00 that Sunday: UTC+1
    ['2026-12-03', '18:00', '2026-12-03T17:00:00.000Z'],
    ['2026-07-01', '00:00', '2026-06-30T22:00:00.000Z'],
  ])('reads %s %s as %s', (date, time, instant) => {
    expect(brusselsInstant(date, time).toISOString()).toBe(instant);
  });

  it('reads the hours just around the clock changes', () => {
    expect(brusselsInstant('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(brusselsInstant('2026-03-29', '03:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(brusselsInstant('2026-10-25', '04:00').toISOString()).toBe('2026-10-25T03:00:00.000Z');
  });

  it.each([
    ['2026-12-02T22:59:59.999Z', '2026-12-02'],
    ['2026-12-02T23:00:00.000Z', '2026-12-03'],
    ['2026-06-30T21:59:59.999Z', '2026-06-30'],
    ['2026-06-30T22:00:00.000Z', '2026-07-01'],
    ['2026-12-31T22:59:59.999Z', '2026-12-31'],
    ['2026-12-31T23:00:00.000Z', '2027-01-01'],
    ['2026-03-28T23:00:00.000Z', '2026-03-29'],
    ['2026-10-24T22:00:00.000Z', '2026-10-25'],
  ])('puts %s on %s', (instant, day) => {
    expect(brusselsDay(new Date(instant))).toBe(day);
  });
});

describe('chooseWindow', () => {
  it('starts no earlier than the lead time from now', () => {
    // Tuesday 10:30; the donor is available from 12:30 that day until Wednesday 20:00.
    const now = new Date('2026-12-01T10:30:00+01:00');
    const window = choose([interval('2026-12-01T12:30:00+01:00', '2026-12-02T20:00:00+01:00')], { now });
    expect(window).toEqual({ start: '2026-12-02T09:30:00.000Z', end: '2026-12-02T12:30:00.000Z' });
  });

  it('takes the same day when there is no lead time', () => {
    const now = new Date('2026-12-01T10:30:00+01:00');
    const window = choose([interval('2026-12-01T12:30:00+01:00', '2026-12-02T20:00:00+01:00')], { now, leadMs: 0 });
    expect(window).toEqual({ start: '2026-12-01T11:30:00.000Z', end: '2026-12-01T14:30:00.000Z' });
  });

  it('skips an availability that ends before the lead time runs out', () => {
    expect(choose([interval('2026-12-01T12:00:00+01:00', '2026-12-02T09:00:00+01:00')])).toBeNull();
    // 20 minutes left after the lead time: too short.
    expect(choose([interval('2026-12-01T12:00:00+01:00', '2026-12-02T09:20:00+01:00')])).toBeNull();
  });

  it('clips to the receiving hours and to 3 hours', () => {
    expect(choose([interval('2026-12-03T08:00:00+01:00', '2026-12-03T20:00:00+01:00')])).toEqual({
      start: '2026-12-03T08:00:00.000Z',
      end: '2026-12-03T11:00:00.000Z',
    });
    // Late in the afternoon, the house's closing time ends the window.
    expect(choose([interval('2026-12-03T16:00:00+01:00', '2026-12-03T20:00:00+01:00')])).toEqual({
      start: '2026-12-03T15:00:00.000Z',
      end: '2026-12-03T17:00:00.000Z',
    });
  });

  it('keeps a short availability whole', () => {
    expect(choose([interval('2026-12-03T10:15:00+01:00', '2026-12-03T11:00:00+01:00')])).toEqual({
      start: '2026-12-03T09:15:00.000Z',
      end: '2026-12-03T10:00:00.000Z',
    });
  });

  it('lasts at most 3 hours and at least 30 minutes', () => {
    const long = chooseWindow({ availability: [interval('2026-12-03T00:00:00+01:00', '2026-12-10T00:00:00+01:00')], now: NOW, leadMs: 0, receiving: DEFAULT_RECEIVING_HOURS });
    expect(long && long.end.getTime() - long.start.getTime()).toBe(MAX_WINDOW_MS);
    const exact = choose([interval('2026-12-03T17:30:00+01:00', '2026-12-03T19:00:00+01:00')]);
    expect(exact).toEqual({ start: '2026-12-03T16:30:00.000Z', end: '2026-12-03T17:00:00.000Z' });
    expect(MIN_WINDOW_MS).toBe(30 * MINUTE);
  });

  it('skips an overlap of 20 minutes with the receiving hours', () => {
    const short = interval('2026-12-03T17:40:00+01:00', '2026-12-03T18:30:00+01:00');
    expect(choose([short])).toBeNull();
    expect(choose([short, interval('2026-12-04T11:00:00+01:00', '2026-12-04T12:00:00+01:00')])).toEqual({
      start: '2026-12-04T10:00:00.000Z',
      end: '2026-12-04T11:00:00.000Z',
    });
  });

  it('skips Sundays', () => {
    // Sunday 6 December all day, then Monday 7 December.
    expect(choose([interval('2026-12-06T00:00:00+01:00', '2026-12-06T23:59:00+01:00')])).toBeNull();
    expect(choose([interval('2026-12-05T18:30:00+01:00', '2026-12-07T20:00:00+01:00')])).toEqual({
      start: '2026-12-07T08:00:00.000Z',
      end: '2026-12-07T11:00:00.000Z',
    });
  });

  it('skips public holidays: Christmas on a Friday, then Saturday the 26th', () => {
    expect(choose([interval('2026-12-25T08:00:00+01:00', '2026-12-25T20:00:00+01:00')])).toBeNull();
    expect(choose([interval('2026-12-25T08:00:00+01:00', '2026-12-26T20:00:00+01:00')])).toEqual({
      start: '2026-12-26T08:00:00.000Z',
      end: '2026-12-26T11:00:00.000Z',
    });
  });

  it('skips Easter Monday and Ascension Day', () => {
    const now = new Date('2026-04-01T09:00:00+02:00');
    expect(choose([interval('2026-04-04T19:00:00+02:00', '2026-04-07T20:00:00+02:00')], { now })).toEqual({
      start: '2026-04-07T07:00:00.000Z',
      end: '2026-04-07T10:00:00.000Z',
    });
    expect(choose([interval('2026-05-14T08:00:00+02:00', '2026-05-14T20:00:00+02:00')], { now })).toBeNull();
  });

  it('picks the earliest part across several unsorted windows', () => {
    const window = choose([
      interval('2026-12-05T10:00:00+01:00', '2026-12-05T12:00:00+01:00'),
      interval('2026-12-04T19:00:00+01:00', '2026-12-04T23:00:00+01:00'), // after closing time
      interval('2026-12-03T14:00:00+01:00', '2026-12-03T15:00:00+01:00'),
      interval('2026-12-04T09:00:00+01:00', '2026-12-04T12:00:00+01:00'),
    ]);
    expect(window).toEqual({ start: '2026-12-03T13:00:00.000Z', end: '2026-12-03T14:00:00.000Z' });
  });

  it('passes over a window too short to use and one that only qualifies on Monday', () => {
    // Friday leaves 15 minutes before closing; Saturday evening to Monday first qualifies on Monday morning.
    const window = choose([
      interval('2026-12-04T17:45:00+01:00', '2026-12-04T18:10:00+01:00'),
      interval('2026-12-05T19:00:00+01:00', '2026-12-07T12:00:00+01:00'),
      interval('2026-12-05T16:00:00+01:00', '2026-12-05T17:00:00+01:00'),
    ]);
    expect(window).toEqual({ start: '2026-12-05T15:00:00.000Z', end: '2026-12-05T16:00:00.000Z' });
  });

  it('honours notBefore', () => {
    const availability = [interval('2026-12-03T09:00:00+01:00', '2026-12-03T18:00:00+01:00')];
    expect(choose(availability, { notBefore: new Date('2026-12-03T12:00:00+01:00') })).toEqual({
      start: '2026-12-03T11:00:00.000Z',
      end: '2026-12-03T14:00:00.000Z',
    });
    expect(choose(availability, { notBefore: new Date('2026-12-03T17:45:00+01:00') })).toBeNull();
    // A notBefore earlier than the lead time changes nothing.
    expect(choose(availability, { notBefore: new Date('2026-11-30T12:00:00+01:00') })).toEqual({
      start: '2026-12-03T08:00:00.000Z',
      end: '2026-12-03T11:00:00.000Z',
    });
  });

  it('follows a house’s own receiving hours', () => {
    const receiving: ReceivingHours = { days: [1, 2, 3], from: '14:00', to: '16:00' };
    const window = choose(
      [
        interval('2026-12-02T08:00:00+01:00', '2026-12-02T13:00:00+01:00'), // Wednesday morning: closed
        interval('2026-12-03T08:00:00+01:00', '2026-12-07T20:00:00+01:00'), // Thursday to Monday
      ],
      { receiving },
    );
    expect(window).toEqual({ start: '2026-12-07T13:00:00.000Z', end: '2026-12-07T15:00:00.000Z' });
  });

  it('returns null for no availability', () => {
    expect(choose([])).toBeNull();
  });

  it('keeps local hours across the change to summer time', () => {
    const now = new Date('2026-03-25T09:00:00+01:00');
    // Saturday evening (winter time) to Monday (summer time).
    expect(choose([interval('2026-03-28T18:30:00+01:00', '2026-03-30T20:00:00+02:00')], { now })).toEqual({
      start: '2026-03-30T07:00:00.000Z',
      end: '2026-03-30T10:00:00.000Z',
    });
    // A house open on Sundays: the day of the change itself.
    expect(choose([interval('2026-03-28T20:00:00+01:00', '2026-03-29T23:00:00+02:00')], { now, receiving: { days: [7], from: '09:00', to: '18:00' } })).toEqual({
      start: '2026-03-29T07:00:00.000Z',
      end: '2026-03-29T10:00:00.000Z',
    });
  });

  it('keeps local hours across the change to winter time', () => {
    const now = new Date('2026-10-20T09:00:00+02:00');
    expect(choose([interval('2026-10-24T19:00:00+02:00', '2026-10-26T20:00:00+01:00')], { now })).toEqual({
      start: '2026-10-26T08:00:00.000Z',
      end: '2026-10-26T11:00:00.000Z',
    });
    expect(choose([interval('2026-10-24T20:00:00+02:00', '2026-10-25T23:00:00+01:00')], { now, receiving: { days: [7], from: '16:00', to: '18:00' } })).toEqual({
      start: '2026-10-25T15:00:00.000Z',
      end: '2026-10-25T17:00:00.000Z',
    });
  });
});

describe('reminderAt', () => {
  it.each([
    ['2026-12-03T08:00:00.000Z', '2026-12-02T17:00:00.000Z'], // winter: 18:00 is 17:00Z
    ['2026-06-10T07:00:00.000Z', '2026-06-09T16:00:00.000Z'], // summer: 18:00 is 16:00Z
    ['2026-12-07T08:00:00.000Z', '2026-12-06T17:00:00.000Z'], // a Monday window: Sunday evening
    ['2026-12-02T23:30:00.000Z', '2026-12-02T17:00:00.000Z'], // 00:30 local on the 3rd
    ['2026-03-30T07:00:00.000Z', '2026-03-29T16:00:00.000Z'], // the day before is the change to summer time
    ['2026-10-26T08:00:00.000Z', '2026-10-25T17:00:00.000Z'], // the day before is the change to winter time
    ['2027-01-01T08:00:00.000Z', '2026-12-31T17:00:00.000Z'],
  ])('for a window at %s is %s', (start, reminder) => {
    expect(reminderAt(new Date(start)).toISOString()).toBe(reminder);
  });
});

describe('chooseWindow, for random availabilities', () => {
  const STEP = 15 * MINUTE;
  /** Friday 20 March 2026, 10:00 UTC: the next 60 days hold the change to summer time, Easter Monday, 1 May and Ascension. */
  const FIXED_NOW = new Date('2026-03-20T10:00:00Z');
  const HOLIDAYS_2026 = new Set(['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-07-21', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25']);

  // An oracle of its own, straight from Intl, so that the property does not check the code with itself.
  const reader = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Brussels',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  function local(instant: number): { day: string; weekday: string; minutes: number } {
    const p = Object.fromEntries(reader.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
    return { day: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday, minutes: Number(p.hour) * 60 + Number(p.minute) };
  }
  /** [start, end] is one receiving day's part: Monday to Saturday, 09:00–18:00 local, not a holiday. */
  function receivable(start: number, end: number): boolean {
    const a = local(start);
    const b = local(end);
    return a.day === b.day && a.weekday !== 'Sun' && !HOLIDAYS_2026.has(a.day) && a.minutes >= 9 * 60 && b.minutes <= 18 * 60;
  }

  const slot = fc
    .record({ startSteps: fc.integer({ min: -4 * 24 * 4, max: 60 * 24 * 4 }), lengthSteps: fc.integer({ min: 1, max: 4 * 24 * 4 }) })
    .map(({ startSteps, lengthSteps }) => ({
      start: new Date(FIXED_NOW.getTime() + startSteps * STEP),
      end: new Date(FIXED_NOW.getTime() + (startSteps + lengthSteps) * STEP),
    }));
  const request = fc.record({
    availability: fc.array(slot, { minLength: 0, maxLength: 5 }),
    leadHours: fc.constantFrom(0, 2, 24, 48),
    notBeforeSteps: fc.option(fc.integer({ min: 0, max: 30 * 24 * 4 }), { nil: undefined }),
  });

  it('chooses the earliest qualifying part of one availability window, or null when there is none', () => {
    fc.assert(
      fc.property(request, ({ availability, leadHours, notBeforeSteps }) => {
        const notBefore = notBeforeSteps === undefined ? undefined : new Date(FIXED_NOW.getTime() + notBeforeSteps * STEP);
        const earliest = Math.max(FIXED_NOW.getTime() + leadHours * HOUR, notBefore?.getTime() ?? 0);
        const window = chooseWindow({ availability, now: FIXED_NOW, leadMs: leadHours * HOUR, receiving: DEFAULT_RECEIVING_HOURS, notBefore });

        // Brute force over the 15-minute grid, on which every input lies: the earliest 30-minute slot that qualifies.
        let first: number | null = null;
        for (const { start, end } of availability) {
          for (let t = Math.max(start.getTime(), earliest); t + MIN_WINDOW_MS <= end.getTime(); t += STEP) {
            if (receivable(t, t + MIN_WINDOW_MS)) {
              if (first === null || t < first) first = t;
              break;
            }
          }
        }

        if (window === null) {
          expect(first).toBeNull();
          return;
        }
        const start = window.start.getTime();
        const end = window.end.getTime();
        expect(availability.some((a) => a.start.getTime() <= start && end <= a.end.getTime())).toBe(true);
        expect(start).toBeGreaterThanOrEqual(FIXED_NOW.getTime() + leadHours * HOUR);
        if (notBefore) expect(start).toBeGreaterThanOrEqual(notBefore.getTime());
        expect(end - start).toBeGreaterThanOrEqual(MIN_WINDOW_MS);
        expect(end - start).toBeLessThanOrEqual(MAX_WINDOW_MS);
        expect(receivable(start, end)).toBe(true);
        expect(start).toBe(first);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('finds a window for most random requests (so the property is not vacuous)', () => {
    const samples = fc.sample(request, { seed: 7, numRuns: 300 });
    const chosen = samples.filter(({ availability, leadHours }) =>
      chooseWindow({ availability, now: FIXED_NOW, leadMs: leadHours * HOUR, receiving: DEFAULT_RECEIVING_HOURS }),
    );
    expect(chosen.length).toBeGreaterThan(100);
    expect(samples.length - chosen.length).toBeGreaterThan(10);
  });
});

describe('touching availability windows', () => {
  it('are joined: 10:00–10:20 and 10:20–10:40 give a 40-minute window', () => {
    const window = chooseWindow({
      availability: [
        { start: new Date('2026-12-03T10:20:00+01:00'), end: new Date('2026-12-03T10:40:00+01:00') },
        { start: new Date('2026-12-03T10:00:00+01:00'), end: new Date('2026-12-03T10:20:00+01:00') },
      ],
      now: new Date('2026-12-01T09:00:00+01:00'),
      leadMs: 24 * 3_600_000,
      receiving: DEFAULT_RECEIVING_HOURS,
    });
    expect(window).toEqual({ start: new Date('2026-12-03T09:00:00Z'), end: new Date('2026-12-03T09:40:00Z') });
  });

  it('merges overlapping and touching windows, keeps apart the others', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 3, h));
    expect(
      mergeTouching([
        { start: at(14), end: at(16) },
        { start: at(9), end: at(11) },
        { start: at(10), end: at(12) },
        { start: at(12), end: at(13) },
      ]),
    ).toEqual([
      { start: at(9), end: at(13) },
      { start: at(14), end: at(16) },
    ]);
  });
});
