import fc from 'fast-check';
import { pairKey } from './allocation';
import { LIEGE, market, need, NOW, offer, OLIVIER, SIMBAHUIS, TODAY } from './market.fixtures';
import { placeGreedily, PlacementInput } from './placement';

const placing = (fields: Partial<PlacementInput>): PlacementInput => ({ offers: [], needs: [], excluded: new Set(), today: TODAY, now: NOW, ...fields });
const placed = (input: PlacementInput) => placeGreedily(input).map((p) => [p.offerId, p.needId, p.quantity]);

describe('placeGreedily', () => {
  it('proposes a new offer to the best need with room: the near house before the far one', () => {
    const needs = [need({ id: 'simbahuis', houseId: 's', ...SIMBAHUIS, free: 5 }), need({ id: 'olivier', houseId: 'o', ...OLIVIER, free: 5 })];

    expect(placed(placing({ offers: [offer({ ...LIEGE, free: 3 })], needs }))).toEqual([['offer-1', 'olivier', 3]]);
  });

  it('splits an offer when the best need has less room, and leaves the rest free', () => {
    const needs = [need({ id: 'olivier', houseId: 'o', free: 2, urgency: 'urgent' }), need({ id: 'simbahuis', houseId: 's', ...SIMBAHUIS, free: 3 })];

    expect(placed(placing({ offers: [offer({ free: 10 })], needs }))).toEqual([
      ['offer-1', 'olivier', 2],
      ['offer-1', 'simbahuis', 3],
    ]);
  });

  it('fills a new need from the best offers, and never uses an excluded pair or an offer without a window ahead', () => {
    const offers = [
      offer({ id: 'declined', free: 4, condition: 'new' }),
      offer({ id: 'past', free: 4, condition: 'new', hasFutureWindow: false }),
      offer({ id: 'fair', free: 4, condition: 'fair' }),
      offer({ id: 'good', free: 1, condition: 'good' }),
    ];
    const result = placed(placing({ offers, needs: [need({ free: 6 })], excluded: new Set([pairKey('declined', 'need-1')]) }));

    expect(result).toEqual([
      ['fair', 'need-1', 4],
      ['good', 'need-1', 1],
    ]);
  });

  it('never places more than is free on either side, nor an excluded pair', () => {
    fc.assert(
      fc.property(market, (m) => {
        const proposals = placeGreedily({ ...m, excluded: m.declined });
        for (const side of [m.offers, m.needs]) {
          for (const { id, free } of side) {
            const total = proposals.filter((p) => p.offerId === id || p.needId === id).reduce((sum, p) => sum + p.quantity, 0);
            expect(total).toBeLessThanOrEqual(Math.max(0, free));
          }
        }
        for (const p of proposals) expect(m.declined.has(pairKey(p.offerId, p.needId))).toBe(false);
        // Greedy leaves no pair that could still take a unit.
        const offerLeft = (id: string) => (m.offers.find((o) => o.id === id)?.free ?? 0) - proposals.filter((p) => p.offerId === id).reduce((s, p) => s + p.quantity, 0);
        const needLeft = (id: string) => (m.needs.find((n) => n.id === id)?.free ?? 0) - proposals.filter((p) => p.needId === id).reduce((s, p) => s + p.quantity, 0);
        for (const o of m.offers.filter((o) => o.hasFutureWindow)) {
          for (const n of m.needs) {
            const used = proposals.some((p) => p.offerId === o.id && p.needId === n.id);
            if (!used && !m.declined.has(pairKey(o.id, n.id))) expect(Math.min(offerLeft(o.id), needLeft(n.id))).toBeLessThanOrEqual(0);
          }
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
