import fc from 'fast-check';
import type { GLPK } from 'glpk.js';
import { distanceKm } from '../geo/geo';
import type { Urgency } from '../needs/entities/need.entity';
import type { Condition, Size } from '../offers/entities/offer.entity';
import { allocate, AllocationInput, AllocationResult, NeedSide, OfferSide, pairKey } from './allocation';
import { scorePair } from './score';

// glpk.js ships an ES default export in its types but is a CommonJS factory returning a promise.
const createGlpk = require('glpk.js') as () => Promise<GLPK>;

const TODAY = '2026-12-01';
const NOW = new Date('2026-12-01T10:00:00Z');
const DAY = 86_400_000;
const URGENCIES: Urgency[] = ['low', 'normal', 'high', 'urgent'];
const CONDITIONS: Condition[] = ['new', 'good', 'fair'];
const SIZES: Size[] = ['small', 'medium', 'large'];

const LIEGE = { lat: 50.63373, lng: 5.56749 };
const OLIVIER = { lat: 50.6367, lng: 5.4794 };
const SIMBAHUIS = { lat: 50.8812, lng: 4.087 };

const offer = (fields: Partial<OfferSide> = {}): OfferSide => ({
  id: 'offer-1',
  ...LIEGE,
  free: 1,
  condition: 'good',
  size: 'medium',
  hasFutureWindow: true,
  ...fields,
});

const need = (fields: Partial<NeedSide> = {}): NeedSide => ({
  id: 'need-1',
  houseId: 'house-1',
  ...OLIVIER,
  free: 1,
  urgency: 'normal',
  neededBy: null,
  createdAt: new Date(NOW.getTime() - 10 * DAY),
  ...fields,
});

const input = (fields: Partial<AllocationInput>): AllocationInput => ({
  offers: [],
  needs: [],
  declined: new Set(),
  today: TODAY,
  now: NOW,
  candidatesPerSide: 5,
  ...fields,
});

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const given = (result: AllocationResult) => result.proposals.map((p) => [p.offerId, p.needId, p.quantity]);

function expectWithinQuantities(market: AllocationInput, result: AllocationResult) {
  for (const o of market.offers) {
    const placed = result.proposals.filter((p) => p.offerId === o.id).reduce((sum, p) => sum + p.quantity, 0);
    expect(placed).toBeLessThanOrEqual(Math.max(0, o.free));
  }
  for (const n of market.needs) {
    const received = result.proposals.filter((p) => p.needId === n.id).reduce((sum, p) => sum + p.quantity, 0);
    expect(received).toBeLessThanOrEqual(Math.max(0, n.free));
  }
}

/** The best total over every allowed pair, scored from the need's and offer's facts, by LP. */
function bestTotal(glpk: GLPK, market: AllocationInput): number {
  const pairs: Array<{ offer: OfferSide; need: NeedSide; score: number }> = [];
  for (const o of market.offers) {
    for (const n of market.needs) {
      if (o.free <= 0 || n.free <= 0 || !o.hasFutureWindow || market.declined.has(pairKey(o.id, n.id))) continue;
      const score = scorePair({
        urgency: n.urgency,
        daysLeft: n.neededBy === null ? null : Math.round((Date.parse(n.neededBy) - Date.parse(market.today)) / DAY),
        distanceKm: distanceKm(o, n),
        waitingDays: (market.now.getTime() - n.createdAt.getTime()) / DAY,
        condition: o.condition,
        coverage: Math.min(o.free, n.free) / n.free,
      });
      pairs.push({ offer: o, need: n, score });
    }
  }
  if (pairs.length === 0) return 0;
  const x = (k: number) => `x${k}`;
  const row = (name: string, keep: (pair: (typeof pairs)[number]) => boolean, ub: number) => ({
    name,
    vars: pairs.flatMap((pair, k) => (keep(pair) ? [{ name: x(k), coef: 1 }] : [])),
    bnds: { type: glpk.GLP_UP, ub, lb: 0 },
  });
  const res = glpk.solve(
    {
      name: 'allocation',
      objective: { direction: glpk.GLP_MAX, name: 'score', vars: pairs.map((pair, k) => ({ name: x(k), coef: pair.score })) },
      subjectTo: [
        ...market.offers.map((o) => row(`offer ${o.id}`, (pair) => pair.offer === o, o.free)),
        ...market.needs.map((n) => row(`need ${n.id}`, (pair) => pair.need === n, n.free)),
      ].filter((constraint) => constraint.vars.length > 0),
      bounds: pairs.map((_, k) => ({ name: x(k), type: glpk.GLP_LO, lb: 0, ub: 0 })),
    },
    { msglev: glpk.GLP_MSG_OFF },
  );
  expect(res.result.status).toBe(glpk.GLP_OPT);
  return res.result.z;
}

const inBelgium = { lat: fc.double({ min: 49.5, max: 51.5, noNaN: true }), lng: fc.double({ min: 2.6, max: 6.4, noNaN: true }) };

const market: fc.Arbitrary<AllocationInput> = fc
  .record({
    offers: fc.array(
      fc.record({
        ...inBelgium,
        free: fc.integer({ min: 0, max: 10 }),
        condition: fc.constantFrom(...CONDITIONS),
        size: fc.constantFrom(...SIZES),
        hasFutureWindow: fc.constantFrom(true, true, true, false),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    needs: fc.array(
      fc.record({
        ...inBelgium,
        house: fc.integer({ min: 1, max: 4 }),
        free: fc.integer({ min: 0, max: 10 }),
        urgency: fc.constantFrom(...URGENCIES),
        dueInDays: fc.option(fc.integer({ min: -10, max: 90 }), { nil: null }),
        waitingDays: fc.double({ min: 0, max: 120, noNaN: true }),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    declined: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
    candidatesPerSide: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ offers, needs, declined, candidatesPerSide }) => ({
    offers: offers.map((o, i) => ({ id: `o${i}`, ...o })),
    needs: needs.map(({ house, dueInDays, waitingDays, ...n }, j) => ({
      id: `n${j}`,
      houseId: `house-${house}`,
      neededBy: dueInDays === null ? null : addDays(TODAY, dueInDays),
      createdAt: new Date(NOW.getTime() - waitingDays * DAY),
      ...n,
    })),
    declined: new Set(declined.map(([i, j]) => pairKey(`o${i % offers.length}`, `n${j % needs.length}`))),
    today: TODAY,
    now: NOW,
    candidatesPerSide,
  }));

describe('allocate', () => {
  let glpk: GLPK;
  beforeAll(async () => {
    glpk = await createGlpk();
  });

  it('never proposes a pair that the house declined', () => {
    const offers = [offer({ id: 'sofa' })];
    const needs = [need({ id: 'near', ...OLIVIER }), need({ id: 'far', ...SIMBAHUIS })];

    expect(given(allocate(input({ offers, needs, declined: new Set([pairKey('sofa', 'near')]) })))).toEqual([['sofa', 'far', 1]]);
    expect(allocate(input({ offers, needs, declined: new Set([pairKey('sofa', 'near'), pairKey('sofa', 'far')]) })).proposals).toEqual([]);
  });

  it('places nothing from an offer whose pickup windows are all past', () => {
    const result = allocate(
      input({ offers: [offer({ id: 'past', hasFutureWindow: false, free: 3 }), offer({ id: 'ahead', free: 1 })], needs: [need({ free: 4 })] }),
    );

    expect(given(result)).toEqual([['ahead', 'need-1', 1]]);
  });

  it('gives a donor in Liège to the house in Liège rather than the one in Liedekerke', () => {
    const result = allocate(
      input({ offers: [offer({ ...LIEGE })], needs: [need({ id: 'simbahuis', ...SIMBAHUIS }), need({ id: 'olivier', ...OLIVIER })] }),
    );

    expect(given(result)).toEqual([['offer-1', 'olivier', 1]]);
    expect(result.proposals[0].distanceKm).toBeCloseTo(6.2, 1);
  });

  it('gives an urgent need precedence over a low one at the same distance', () => {
    const result = allocate(
      input({
        offers: [offer()],
        needs: [need({ id: 'low', houseId: 'a', urgency: 'low' }), need({ id: 'urgent', houseId: 'b', urgency: 'urgent' })],
      }),
    );

    expect(given(result)).toEqual([['offer-1', 'urgent', 1]]);
  });

  it('keeps within quantities, declined pairs and pickup windows, and reaches the best total whatever K', () => {
    fc.assert(
      fc.property(market, (m) => {
        const result = allocate(m);

        expectWithinQuantities(m, result);
        const closed = new Set(m.offers.filter((o) => !o.hasFutureWindow).map((o) => o.id));
        for (const p of result.proposals) {
          expect(m.declined.has(pairKey(p.offerId, p.needId))).toBe(false);
          expect(closed.has(p.offerId)).toBe(false);
          expect(Number.isInteger(p.quantity) && p.quantity > 0).toBe(true);
        }
        // The sparse start is completed by pricing: the result is optimal over all candidate pairs.
        const best = bestTotal(glpk, m);
        expect(Math.abs(result.totalScore - best)).toBeLessThanOrEqual(1e-6 * Math.max(1, best));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('reaches the best total over all pairs when K covers every need', () => {
    fc.assert(
      fc.property(market, fc.nat({ max: 2 }), (m, extra) => {
        const unpruned = { ...m, candidatesPerSide: m.needs.length + extra };
        const result = allocate(unpruned);
        const best = bestTotal(glpk, unpruned);

        expect(Math.abs(result.totalScore - best)).toBeLessThanOrEqual(1e-6 * Math.max(1, best));
        const proposed = result.proposals.reduce((sum, p) => sum + p.quantity * p.score, 0);
        // Proposal scores are rounded to 4 decimals for display.
        expect(Math.abs(proposed - result.totalScore)).toBeLessThanOrEqual(1e-4 * result.proposals.reduce((sum, p) => sum + p.quantity, 0));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
