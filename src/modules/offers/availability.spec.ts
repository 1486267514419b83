import { DomainError } from '../../common/errors/domain-error';
import { MAX_HORIZON_DAYS, MAX_WINDOW_DAYS, parseAvailability } from './availability';
import { AvailabilityWindowDto } from './dto/offer.dto';

const NOW = new Date('2026-12-01T10:00:00Z');
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

const at = (msFromNow: number) => new Date(NOW.getTime() + msFromNow).toISOString();
const window = (from: string, to: string): AvailabilityWindowDto => ({ from, to });

function refusal(windows: AvailabilityWindowDto[]): DomainError {
  try {
    parseAvailability(windows, NOW);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('parseAvailability accepted the windows');
}

describe('parseAvailability', () => {
  it('returns the windows as instants, sorted by start', () => {
    const windows = parseAvailability(
      [
        window('2026-12-05T09:00:00+01:00', '2026-12-05T12:00:00+01:00'),
        window('2026-12-02T14:00:00+01:00', '2026-12-02T17:00:00+01:00'),
        window('2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z'),
      ],
      NOW,
    );

    expect(windows.map((w) => w.startsAt.toISOString())).toEqual([
      '2026-12-02T13:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
      '2026-12-05T08:00:00.000Z',
    ]);
    expect(windows.map((w) => w.endsAt.toISOString())).toEqual([
      '2026-12-02T16:00:00.000Z',
      '2026-12-03T10:00:00.000Z',
      '2026-12-05T11:00:00.000Z',
    ]);
  });

  it('reads +01:00 and Z offsets as the same instant', () => {
    const [withOffset] = parseAvailability([window('2026-12-02T10:00:00+01:00', '2026-12-02T12:30:00+01:00')], NOW);
    const [inUtc] = parseAvailability([window('2026-12-02T09:00:00Z', '2026-12-02T11:30:00Z')], NOW);

    expect(withOffset.startsAt.getTime()).toBe(inUtc.startsAt.getTime());
    expect(withOffset.endsAt.getTime()).toBe(inUtc.endsAt.getTime());
  });

  it('accepts a window that has started but not yet ended', () => {
    expect(parseAvailability([window(at(-2 * 60 * MINUTE), at(60 * MINUTE))], NOW)).toHaveLength(1);
  });

  it('accepts past windows as long as one window ends in the future', () => {
    const windows = parseAvailability([window(at(DAY), at(DAY + 60 * MINUTE)), window(at(-2 * DAY), at(-DAY))], NOW);

    expect(windows.some((w) => w.endsAt.getTime() > NOW.getTime())).toBe(true);
  });

  it('refuses when every window ended before now', () => {
    const error = refusal([window(at(-2 * DAY), at(-DAY)), window(at(-3 * 60 * MINUTE), at(-MINUTE))]);

    expect(error.code).toBe('NO_FUTURE_AVAILABILITY');
    expect(error.kind).toBe('bad-request');
  });

  it('counts a window that ends exactly now as ended', () => {
    expect(refusal([window(at(-60 * MINUTE), at(0))]).code).toBe('NO_FUTURE_AVAILABILITY');
  });

  it('accepts a window that ends one second after now', () => {
    expect(parseAvailability([window(at(-60 * MINUTE), at(1000))], NOW)).toHaveLength(1);
  });

  it(`accepts a window of exactly ${MAX_WINDOW_DAYS} days`, () => {
    expect(parseAvailability([window(at(DAY), at(DAY + MAX_WINDOW_DAYS * DAY))], NOW)).toHaveLength(1);
  });

  it(`refuses a window longer than ${MAX_WINDOW_DAYS} days, naming it by its position in the request`, () => {
    const error = refusal([
      window(at(5 * DAY), at(5 * DAY + 60 * MINUTE)),
      // Starts before window 0: the name must follow the request's order, not the sorted one.
      window(at(DAY), at(DAY + MAX_WINDOW_DAYS * DAY + MINUTE)),
    ]);

    expect(error.code).toBe('WINDOW_TOO_LONG');
    expect(error.kind).toBe('bad-request');
    expect(error.message).toMatch(/^availability\.1 /);
  });

  it(`accepts a window that ends exactly ${MAX_HORIZON_DAYS} days from now`, () => {
    const end = MAX_HORIZON_DAYS * DAY;
    expect(parseAvailability([window(at(end - 60 * MINUTE), at(end))], NOW)).toHaveLength(1);
  });

  it(`refuses a window that ends more than ${MAX_HORIZON_DAYS} days from now`, () => {
    const end = MAX_HORIZON_DAYS * DAY + MINUTE;
    const error = refusal([window(at(DAY), at(DAY + 60 * MINUTE)), window(at(end - 60 * MINUTE), at(end))]);

    expect(error.code).toBe('WINDOW_TOO_FAR');
    expect(error.kind).toBe('bad-request');
    expect(error.message).toMatch(/^availability\.1 /);
  });
});
