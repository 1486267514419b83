import fc from 'fast-check';
import { pairKey, pairValue } from './allocation';
import { LIEGE, market, need, NOW, offer, OLIVIER, SIMBAHUIS, TODAY } from './market.fixtures';
import { placeGreedily, PlacementInput, placeOfferBatch, placeOfferDisplacing, StandingProposal } from './placement';

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

describe('placeOfferDisplacing', () => {
  const when = { today: TODAY, now: NOW, excluded: new Set<string>() };
  const full = need({ id: 'olivier', houseId: 'o', ...OLIVIER, free: 0 });
  const standing = (score: number, quantity = 2): StandingProposal => ({ id: 'm1', offerId: 'old', needId: 'olivier', quantity, score });
  const fresh = offer({ id: 'fresh', ...LIEGE, free: 2, condition: 'new' });
  const freshScore = pairValue(fresh, { ...full, free: 2 }, 2, when).score;

  it('takes the place of a proposal it beats by more than the incumbent bonus', () => {
    const result = placeOfferDisplacing({ ...when, offer: fresh, needs: [full], standing: [standing(freshScore / 1.2)] });

    expect(result.displaced.map((p) => p.id)).toEqual(['m1']);
    expect(result.proposals).toEqual([expect.objectContaining({ offerId: 'fresh', needId: 'olivier', quantity: 2 })]);
  });

  it('leaves a proposal that is only a little worse, and a need with free room is used first', () => {
    expect(placeOfferDisplacing({ ...when, offer: fresh, needs: [full], standing: [standing(freshScore / 1.03)] })).toEqual({ proposals: [], displaced: [] });

    const far = need({ id: 'simbahuis', houseId: 's', ...SIMBAHUIS, free: 5 });
    const result = placeOfferDisplacing({ ...when, offer: fresh, needs: [full, far], standing: [standing(freshScore / 1.03)] });
    expect(result).toEqual({ proposals: [expect.objectContaining({ needId: 'simbahuis', quantity: 2 })], displaced: [] });
  });

  it('displaces whole proposals, the weakest first, only as many as it needs', () => {
    const weakest = { ...standing(freshScore / 3, 1), id: 'weakest', offerId: 'a' };
    const weak = { ...standing(freshScore / 2, 3), id: 'weak', offerId: 'b' };
    const strong = { ...standing(freshScore, 2), id: 'strong', offerId: 'c' };
    const result = placeOfferDisplacing({ ...when, offer: fresh, needs: [full], standing: [strong, weak, weakest] });

    expect(result.displaced.map((p) => p.id)).toEqual(['weakest', 'weak']);
    expect(result.proposals).toEqual([expect.objectContaining({ needId: 'olivier', quantity: 2 })]);
  });

  it('never displaces at a pair that is excluded, nor from an offer without a window ahead', () => {
    const excluded = new Set(['fresh:olivier']);
    expect(placeOfferDisplacing({ ...when, excluded, offer: fresh, needs: [full], standing: [standing(1)] }).proposals).toEqual([]);
    expect(placeOfferDisplacing({ ...when, offer: { ...fresh, hasFutureWindow: false }, needs: [full], standing: [standing(1)] }).proposals).toEqual([]);
  });
});

describe('placeOfferBatch', () => {
  const when = { today: TODAY, now: NOW, excluded: new Set<string>() };
  const olivier = (free: number) => need({ id: 'olivier', houseId: 'o', ...OLIVIER, free });
  const simbahuis = (free: number) => need({ id: 'simbahuis', houseId: 's', ...SIMBAHUIS, free });
  const summary = (plans: ReturnType<typeof placeOfferBatch>) =>
    plans.map((plan) => [plan.offerId, plan.proposals.map((p) => `${p.needId}×${p.quantity}`), plan.displaced.map((p) => p.id)]);

  it('gives each offer, in order, only the room that the ones before it left', () => {
    const offers = [offer({ id: 'first', ...LIEGE, free: 3 }), offer({ id: 'second', ...LIEGE, free: 3 })];
    const plans = placeOfferBatch({ ...when, offers, needs: [olivier(4), simbahuis(1)], standing: [] });

    expect(summary(plans)).toEqual([
      ['first', ['olivier×3'], []],
      ['second', ['olivier×1', 'simbahuis×1'], []],
    ]);
  });

  it('gives an offer of the batch back the units of its proposal that an earlier offer displaced', () => {
    // "late" holds the only room at l'Olivier with a weak proposal and has nothing free; "strong" takes its place.
    const weak: StandingProposal = { id: 'weak', offerId: 'late', needId: 'olivier', quantity: 2, score: 0.01 };
    const offers = [offer({ id: 'strong', ...LIEGE, free: 2, condition: 'new' }), offer({ id: 'late', ...LIEGE, free: 0 })];
    const plans = placeOfferBatch({ ...when, offers, needs: [olivier(0), simbahuis(5)], standing: [weak] });

    expect(summary(plans)).toEqual([
      ['strong', ['olivier×2'], ['weak']],
      ['late', ['simbahuis×2'], []],
    ]);
  });

  it('never promises more than a need has, nor lets a later offer displace a proposal of the batch', () => {
    const offers = [offer({ id: 'a', ...LIEGE, free: 2, condition: 'fair' }), offer({ id: 'b', ...LIEGE, free: 2, condition: 'new' })];
    const plans = placeOfferBatch({ ...when, offers, needs: [olivier(2)], standing: [] });

    expect(summary(plans)).toEqual([['a', ['olivier×2'], []]]);
  });

  it('leaves its input as it was', () => {
    const needs = [olivier(4)];
    const offers = [offer({ id: 'first', ...LIEGE, free: 3 })];
    const standing: StandingProposal[] = [{ id: 'm', offerId: 'other', needId: 'olivier', quantity: 1, score: 0.01 }];
    placeOfferBatch({ ...when, offers, needs, standing });

    expect([needs[0].free, offers[0].free, standing.length]).toEqual([4, 3, 1]);
  });
});
