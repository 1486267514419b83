import fc from 'fast-check';
import type { Urgency } from '../needs/entities/need.entity';
import type { Condition } from '../offers/entities/offer.entity';
import { PairFacts, scorePair, WEIGHTS } from './score';

const URGENCIES: Urgency[] = ['low', 'normal', 'high', 'urgent'];
const CONDITIONS: Condition[] = ['new', 'good', 'fair'];

const base: PairFacts = { urgency: 'normal', daysLeft: 14, distanceKm: 20, waitingDays: 10, condition: 'good', coverage: 0.5 };
const score = (change: Partial<PairFacts>) => scorePair({ ...base, ...change });

/** Any facts within what the application produces, to vary one of them at a time. */
const facts: fc.Arbitrary<PairFacts> = fc.record({
  urgency: fc.constantFrom(...URGENCIES),
  daysLeft: fc.option(fc.integer({ min: -30, max: 365 }), { nil: null }),
  distanceKm: fc.double({ min: 0, max: 400, noNaN: true }),
  waitingDays: fc.double({ min: 0, max: 400, noNaN: true }),
  condition: fc.constantFrom(...CONDITIONS),
  coverage: fc.double({ min: 0, max: 1, noNaN: true }),
});
const run = { seed: 42, numRuns: 200 };

describe('scorePair', () => {
  it('ranks urgent > high > normal > low, urgent at least twice high', () => {
    const [low, normal, high, urgent] = URGENCIES.map((urgency) => score({ urgency }));

    expect(urgent).toBeGreaterThanOrEqual(2 * high);
    expect(high).toBeGreaterThan(normal);
    expect(normal).toBeGreaterThan(low);
  });

  it('ranks new > good > fair', () => {
    expect(score({ condition: 'new' })).toBeGreaterThan(score({ condition: 'good' }));
    expect(score({ condition: 'good' })).toBeGreaterThan(score({ condition: 'fair' }));
  });

  it('values covering all of a need above covering a tenth of it', () => {
    expect(score({ coverage: 1 })).toBeGreaterThan(score({ coverage: 0.1 }));
  });

  it('decreases with distance', () => {
    fc.assert(
      fc.property(facts, fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (f, near, further) => {
        expect(scorePair({ ...f, distanceKm: near })).toBeGreaterThan(scorePair({ ...f, distanceKm: near + further }));
      }),
      run,
    );
  });

  it('increases with waiting, up to waitingFullDays', () => {
    const full = WEIGHTS.waitingFullDays;
    fc.assert(
      fc.property(facts, fc.double({ min: 0, max: full - 1, noNaN: true }), fc.double({ min: 0.5, max: 1000, noNaN: true }), (f, early, more) => {
        expect(scorePair({ ...f, waitingDays: Math.min(full, early + more) })).toBeGreaterThan(scorePair({ ...f, waitingDays: early }));
        expect(scorePair({ ...f, waitingDays: full + more })).toBe(scorePair({ ...f, waitingDays: full }));
      }),
      run,
    );
    expect(score({ waitingDays: 10_000 })).toBe(score({ waitingDays: full }));
  });

  it('increases as the deadline comes closer, an overdue need counting as due today', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 180 }), fc.integer({ min: 1, max: 180 }), (f, soon, later) => {
        expect(scorePair({ ...f, daysLeft: soon })).toBeGreaterThan(scorePair({ ...f, daysLeft: soon + later }));
      }),
      run,
    );
    expect(score({ daysLeft: -1 })).toBe(score({ daysLeft: 0 }));
    expect(score({ daysLeft: -1000 })).toBe(score({ daysLeft: 0 }));
  });

  it('never values a need with a deadline below the same need without one', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: -1000, max: 100_000 }), (f, daysLeft) => {
        expect(scorePair({ ...f, daysLeft })).toBeGreaterThanOrEqual(scorePair({ ...f, daysLeft: null }));
      }),
      run,
    );
  });

  it('is positive and finite for extreme inputs', () => {
    const scores: Array<[PairFacts, number]> = [];
    for (const urgency of URGENCIES)
      for (const condition of CONDITIONS)
        for (const distanceKm of [0, 10_000])
          for (const waitingDays of [0, 10_000])
            for (const daysLeft of [-1000, 0, 100_000, null])
              for (const coverage of [0, 1]) {
                const f = { urgency, condition, distanceKm, waitingDays, daysLeft, coverage };
                scores.push([f, scorePair(f)]);
              }

    expect(scores.filter(([, s]) => !(s > 0 && Number.isFinite(s)))).toEqual([]);
  });
});
