import { isCandidate, NeedSide, OfferSide, pairValue, Proposal } from './allocation';
import { coverageFactor } from './score';

export interface PlacementInput {
  /** The offers and needs to place between, with their free quantities (what no match holds). */
  offers: OfferSide[];
  needs: NeedSide[];
  /** "offerId:needId" of pairs that a house declined or that are proposed already. */
  excluded: Set<string>;
  today: string;
  now: Date;
}

/**
 * The quick placement of one new or changed offer (or need) into the room that the others have
 * free, without moving any proposal: repeatedly the pair with the highest score per unit takes
 * all it can. It runs in milliseconds, so a donor's offer reaches a house at once; the periodic
 * optimisation of the category improves on it later (docs/matching.md).
 */
export function placeGreedily(input: PlacementInput): Proposal[] {
  const offerFree = new Map(input.offers.map((offer) => [offer.id, offer.free]));
  const needFree = new Map(input.needs.map((need) => [need.id, need.free]));
  // Every part of a pair's score but the coverage stays the same while units are placed: computed once.
  const pairs: Array<{ offer: OfferSide; need: NeedSide; base: number; distanceKm: number }> = [];
  for (const offer of input.offers) {
    for (const need of input.needs) {
      if (!isCandidate(offer, need, input.excluded)) continue;
      // With 0 units the coverage factor is 1: the score without it.
      const { score, distanceKm } = pairValue(offer, need, 0, input);
      pairs.push({ offer, need, base: score, distanceKm });
    }
  }
  const proposals: Proposal[] = [];
  for (;;) {
    let best: { index: number; quantity: number; score: number } | undefined;
    for (let index = 0; index < pairs.length; index++) {
      const { offer, need, base } = pairs[index];
      const lacking = needFree.get(need.id) as number;
      const quantity = Math.min(offerFree.get(offer.id) as number, lacking);
      if (quantity <= 0) continue;
      // The coverage factor counts what this offer can give of what the need still lacks.
      const score = base * coverageFactor(quantity / lacking);
      if (!best || score > best.score) best = { index, quantity, score };
    }
    if (!best) return proposals;
    const [{ offer, need, distanceKm }] = pairs.splice(best.index, 1);
    offerFree.set(offer.id, (offerFree.get(offer.id) as number) - best.quantity);
    needFree.set(need.id, (needFree.get(need.id) as number) - best.quantity);
    proposals.push({
      offerId: offer.id,
      needId: need.id,
      quantity: best.quantity,
      score: Math.round(best.score * 10_000) / 10_000,
      distanceKm: Math.round(distanceKm * 10) / 10,
    });
  }
}
