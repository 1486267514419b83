import { isCandidate, NeedSide, OfferSide, pairKey, pairValue, Proposal, sizeCanReachHouse, unitsOf } from './allocation';
import { coverageFactor, WEIGHTS } from './score';

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

/** A proposal standing now, with the score per unit it was made with. */
export interface StandingProposal {
  id: string;
  offerId: string;
  needId: string;
  quantity: number;
  score: number;
}

/**
 * The quick placement of one offer when needs are scarce: besides the room the needs have free,
 * the offer may take the place of standing proposals that are clearly worse, by more than the
 * incumbent bonus the optimisation gives them (WEIGHTS.incumbentBonus), so that the optimisation
 * would have made the same move. Whole proposals are displaced, the weakest first; what they held
 * beyond the new proposal stays free at that need.
 */
export function placeOfferDisplacing(
  input: Omit<PlacementInput, 'offers'> & { offer: OfferSide; standing: StandingProposal[] },
): { proposals: Proposal[]; displaced: StandingProposal[] } {
  const { offer } = input;
  const proposals: Proposal[] = [];
  const displaced: StandingProposal[] = [];
  if (offer.free <= 0 || !offer.hasFutureWindow) return { proposals, displaced };
  const keep = 1 + WEIGHTS.incumbentBonus;
  // The proposals of other offers at each need (one pass: a category holds thousands).
  const standingAt = new Map<string, StandingProposal[]>();
  for (const proposal of input.standing) {
    if (proposal.offerId === offer.id) continue;
    const atNeed = standingAt.get(proposal.needId);
    if (atNeed) atNeed.push(proposal);
    else standingAt.set(proposal.needId, [proposal]);
  }
  const targets = input.needs
    .filter((need) => sizeCanReachHouse(offer.size, need.houseId) && !input.excluded.has(pairKey(offer.id, need.id)))
    .map((need) => ({
      need,
      room: Math.max(0, need.free),
      // The proposals of other offers at this need, the weakest first.
      standing: (standingAt.get(need.id) ?? []).sort((a, b) => a.score - b.score),
      // The score without its coverage factor (0 units: × 1), even at a need without free room.
      ...pairValue(offer, { ...need, free: 1 }, 0, input),
    }));
  let left = offer.free;
  while (left > 0) {
    let best: { target: (typeof targets)[number]; quantity: number; score: number } | undefined;
    for (const target of targets) {
      const held = unitsOf(target.standing);
      const lacking = target.room + held;
      if (lacking <= 0) continue;
      const score = target.score * coverageFactor(Math.min(left, lacking) / lacking);
      const movable = unitsOf(target.standing.filter((p) => p.score * keep < score));
      const quantity = Math.min(left, target.room + movable);
      if (quantity > 0 && (!best || score > best.score)) best = { target, quantity, score };
    }
    if (!best) break;
    const { target, quantity, score } = best;
    while (target.room < quantity) {
      const weakest = target.standing.shift() as StandingProposal;
      displaced.push(weakest);
      target.room += weakest.quantity;
    }
    target.room -= quantity;
    left -= quantity;
    targets.splice(targets.indexOf(target), 1);
    proposals.push({
      offerId: offer.id,
      needId: target.need.id,
      quantity,
      score: Math.round(score * 10_000) / 10_000,
      distanceKm: Math.round(target.distanceKm * 10) / 10,
    });
  }
  return { proposals, displaced };
}

/** What the placement of one offer of a batch decided. */
export interface OfferPlan {
  offerId: string;
  proposals: Proposal[];
  displaced: StandingProposal[];
}

/**
 * A batch of offers of one category, placed one after the other in the order given. Each sees the
 * room that the ones before it took and the proposals they displaced; an offer of the batch whose
 * proposal was displaced by an earlier one gets those units back. The proposals made within the batch
 * stand for the rest of it: only the optimisation may move them. Offers without anything placed are left out.
 */
export function placeOfferBatch(input: Omit<PlacementInput, 'offers'> & { offers: OfferSide[]; standing: StandingProposal[] }): OfferPlan[] {
  const needs = input.needs.map((need) => ({ ...need }));
  const needById = new Map(needs.map((need) => [need.id, need]));
  const offers = input.offers.map((offer) => ({ ...offer }));
  const offerById = new Map(offers.map((offer) => [offer.id, offer]));
  let standing = input.standing;
  const plans: OfferPlan[] = [];
  for (const offer of offers) {
    const { proposals, displaced } = placeOfferDisplacing({ ...input, offer, needs, standing });
    if (proposals.length === 0) continue;
    plans.push({ offerId: offer.id, proposals, displaced });
    const gone = new Set(displaced.map((proposal) => proposal.id));
    standing = standing.filter((proposal) => !gone.has(proposal.id));
    for (const proposal of displaced) {
      const need = needById.get(proposal.needId);
      if (need) need.free += proposal.quantity;
      const from = offerById.get(proposal.offerId);
      if (from) from.free += proposal.quantity;
    }
    for (const proposal of proposals) (needById.get(proposal.needId) as NeedSide).free -= proposal.quantity;
  }
  return plans;
}
