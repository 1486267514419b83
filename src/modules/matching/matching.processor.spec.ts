import { nextOptimisationAt, OPTIMISATION_SHARE } from './matching.processor';

describe('nextOptimisationAt', () => {
  it('lets the first optimisation of a category start at once', () => {
    expect(nextOptimisationAt(undefined, 30_000)).toBe(-Infinity);
  });

  it('keeps two starts MATCHING_MIN_INTERVAL_MS apart, also while the last one still runs', () => {
    expect(nextOptimisationAt({ start: 1_000, ms: 2_000 }, 30_000)).toBe(31_000);
    expect(nextOptimisationAt({ start: 1_000, ms: 0 }, 30_000)).toBe(31_000);
  });

  it('spaces long optimisations further, so that one category takes at most its share of the time', () => {
    const at = nextOptimisationAt({ start: 1_000, ms: 15_000 }, 30_000);
    expect(at).toBe(1_000 + 15_000 / OPTIMISATION_SHARE);
    expect(15_000 / (at - 1_000)).toBeCloseTo(OPTIMISATION_SHARE);
  });

  it('spaces nothing when the interval is 0', () => {
    expect(nextOptimisationAt({ start: 1_000, ms: 15_000 }, 0)).toBe(-Infinity);
  });
});
