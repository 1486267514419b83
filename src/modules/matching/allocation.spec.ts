import fc from 'fast-check';
import type { GLPK } from 'glpk.js';
import { distanceKm } from '../geo/geo';
import { allocate, AllocationInput, AllocationResult, NeedSide, OfferSide, pairKey, pairValue } from './allocation';
import { DAY, input, LIEGE, market, need, NOW, offer, OLIVIER, SIMBAHUIS } from './market.fixtures';
import { scorePair } from './score';

// glpk.js ships an ES default export in its types but is a CommonJS factory returning a promise.
const createGlpk = require('glpk.js') as () => Promise<GLPK>;

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

  it('keeps a current proposal unless moving it gains more than the incumbent bonus', () => {
    // The same house and urgency; one need has waited a day longer, so it is worth about 1.4 % more.
    const needs = [need({ id: 'newer', createdAt: new Date(NOW.getTime() - 10 * DAY) }), need({ id: 'older', createdAt: new Date(NOW.getTime() - 11 * DAY) })];
    const newer = pairKey('offer-1', 'newer');

    expect(given(allocate(input({ offers: [offer()], needs })))).toEqual([['offer-1', 'older', 1]]);
    expect(given(allocate(input({ offers: [offer()], needs, incumbent: new Set([newer]) })))).toEqual([['offer-1', 'newer', 1]]);
    // An urgent need is worth far more than the bonus: the proposal moves.
    const urgent = [needs[0], { ...needs[1], urgency: 'urgent' as const }];
    expect(given(allocate(input({ offers: [offer()], needs: urgent, incumbent: new Set([newer]) })))).toEqual([['offer-1', 'older', 1]]);
  });

  it('reports the score of a kept proposal without the bonus, as pairValue gives it', () => {
    const market = input({ offers: [offer({ free: 3 })], needs: [need({ free: 5 })], incumbent: new Set([pairKey('offer-1', 'need-1')]) });
    const [proposal] = allocate(market).proposals;

    expect(proposal.score).toBeCloseTo(pairValue(market.offers[0], market.needs[0], 3, market).score, 4);
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
