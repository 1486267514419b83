import { brusselsDate } from './clock';

describe('brusselsDate', () => {
  it.each([
    // Winter time, UTC+1: half past midnight on New Year's Day in Brussels.
    ['2026-12-31T23:30:00Z', '2027-01-01'],
    ['2026-12-31T22:59:59Z', '2026-12-31'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    // Summer time, UTC+2.
    ['2026-07-01T22:30:00Z', '2026-07-02'],
    ['2026-07-01T21:59:59Z', '2026-07-01'],
    ['2026-07-01T22:00:00Z', '2026-07-02'],
  ])('%s is %s in Brussels', (instant, day) => {
    expect(brusselsDate(new Date(instant))).toBe(day);
  });

  describe('around the switch to summer time (29 March 2026, 01:00 UTC)', () => {
    it.each([
      ['2026-03-29T00:59:59Z', '2026-03-29'], // 01:59:59 CET
      ['2026-03-29T01:00:00Z', '2026-03-29'], // 03:00:00 CEST
      ['2026-03-28T22:59:59Z', '2026-03-28'], // midnight before the switch is still at UTC+1
      ['2026-03-28T23:00:00Z', '2026-03-29'],
      ['2026-03-29T21:59:59Z', '2026-03-29'], // midnight after the switch is at UTC+2
      ['2026-03-29T22:00:00Z', '2026-03-30'],
    ])('%s is %s', (instant, day) => {
      expect(brusselsDate(new Date(instant))).toBe(day);
    });
  });

  describe('around the switch back to winter time (25 October 2026, 01:00 UTC)', () => {
    it.each([
      ['2026-10-24T21:59:59Z', '2026-10-24'],
      ['2026-10-24T22:00:00Z', '2026-10-25'],
      ['2026-10-25T22:59:59Z', '2026-10-25'],
      ['2026-10-25T23:00:00Z', '2026-10-26'],
    ])('%s is %s', (instant, day) => {
      expect(brusselsDate(new Date(instant))).toBe(day);
    });
  });

  it('formats the day as YYYY-MM-DD with leading zeros', () => {
    expect(brusselsDate(new Date('2026-02-03T12:00:00Z'))).toBe('2026-02-03');
  });
});
