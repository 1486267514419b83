import { Size } from '../offers/entities/offer.entity';
import { Condition } from '../offers/entities/offer.entity';
import { Urgency } from '../needs/entities/need.entity';
import { distanceKm, Point } from '../geo/geo';
import { scorePair } from './score';
import { solveTransport } from './solver';

export interface OfferSide extends Point {
  id: string;
  /** Units not yet firmly promised (accepted or delivered): what the optimisation may place. */
  free: number;
  condition: Condition;
  size: Size;
  /** Whether a pickup window is still ahead. */
  hasFutureWindow: boolean;
}

export interface NeedSide extends Point {
  id: string;
  houseId: string;
  free: number;
  urgency: Urgency;
  /** 'YYYY-MM-DD' or null. */
  neededBy: string | null;
  createdAt: Date;
}

export interface AllocationInput {
  offers: OfferSide[];
  needs: NeedSide[];
  /** "offerId:needId" of pairs that a house declined: never proposed again. */
  declined: Set<string>;
  /** Today in Brussels ('YYYY-MM-DD') and the current instant. */
  today: string;
  now: Date;
  /** Keep the best K needs of each offer and the best K offers of each need. */
  candidatesPerSide: number;
}

export interface Proposal {
  offerId: string;
  needId: string;
  quantity: number;
  score: number;
  distanceKm: number;
}

export interface AllocationResult {
  proposals: Proposal[];
  totalScore: number;
  candidates: number;
}

/** Whether a pickup of this size can reach this house. Every house takes every size today. */
export function sizeCanReachHouse(_size: Size, _houseId: string): boolean {
  return true;
}

/** The one rule for which pairs may be proposed at all (quantities aside). */
export function isCandidate(offer: OfferSide, need: NeedSide, declined: Set<string>): boolean {
  return (
    offer.free > 0 &&
    need.free > 0 &&
    offer.hasFutureWindow &&
    sizeCanReachHouse(offer.size, need.houseId) &&
    !declined.has(pairKey(offer.id, need.id))
  );
}

export const pairKey = (offerId: string, needId: string): string => `${offerId}:${needId}`;

const DAY_MS = 86_400_000;

function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);
}

/**
 * Proposals for one category: the allocation of split quantities that maximises the total
 * score over a sparse candidate graph (best K per side), solved as a transportation problem.
 */
export function allocate(input: AllocationInput): AllocationResult {
  const { offers, needs } = input;
  interface Scored {
    offer: number;
    need: number;
    score: number;
    distanceKm: number;
  }
  const perOffer: Scored[][] = offers.map(() => []);
  const perNeed: Scored[][] = needs.map(() => []);
  const needFacts = needs.map((need) => ({
    daysLeft: need.neededBy ? daysBetween(input.today, need.neededBy) : null,
    waitingDays: Math.max(0, (input.now.getTime() - need.createdAt.getTime()) / DAY_MS),
  }));

  for (let i = 0; i < offers.length; i++) {
    const offer = offers[i];
    for (let j = 0; j < needs.length; j++) {
      const need = needs[j];
      if (!isCandidate(offer, need, input.declined)) continue;
      const km = distanceKm(offer, need);
      const score = scorePair({
        urgency: need.urgency,
        daysLeft: needFacts[j].daysLeft,
        distanceKm: km,
        waitingDays: needFacts[j].waitingDays,
        condition: offer.condition,
        coverage: Math.min(offer.free, need.free) / need.free,
      });
      const scored = { offer: i, need: j, score, distanceKm: km };
      perOffer[i].push(scored);
      perNeed[j].push(scored);
    }
  }

  const kept = new Set<Scored>();
  const keepBest = (list: Scored[]) => {
    if (list.length > input.candidatesPerSide) list.sort((a, b) => b.score - a.score);
    for (let k = 0; k < Math.min(list.length, input.candidatesPerSide); k++) kept.add(list[k]);
  };
  perOffer.forEach(keepBest);
  perNeed.forEach(keepBest);

  const edges = [...kept];
  const solution = solveTransport({
    supplies: offers.map((offer) => offer.free),
    demands: needs.map((need) => need.free),
    edges: edges.map((edge) => ({ from: edge.offer, to: edge.need, weight: edge.score })),
  });

  const proposals: Proposal[] = [];
  solution.flows.forEach((quantity, e) => {
    if (quantity <= 0) return;
    const edge = edges[e];
    proposals.push({
      offerId: offers[edge.offer].id,
      needId: needs[edge.need].id,
      quantity,
      score: round(edge.score, 4),
      distanceKm: round(edge.distanceKm, 1),
    });
  });
  return { proposals, totalScore: solution.totalWeight, candidates: edges.length };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
