import { Size } from '../offers/entities/offer.entity';
import { Condition } from '../offers/entities/offer.entity';
import { Urgency } from '../needs/entities/need.entity';
import { distanceKm, Point } from '../geo/geo';
import { coverageFactor, distanceFactor, needFactor, offerFactor, WEIGHTS } from './score';
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
  /**
   * "offerId:needId" of the pairs proposed now. They count WEIGHTS.incumbentBonus more, so that a
   * proposal a coordinator may be reading is only moved for a clearly better allocation.
   */
  incumbent?: Set<string>;
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

/** The units a list of proposals (or of proposals standing) holds. */
export const unitsOf = (proposals: Array<{ quantity: number }>): number => proposals.reduce((sum, proposal) => sum + proposal.quantity, 0);

const DAY_MS = 86_400_000;

function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS);
}

/** The need's own part of the score (× 100), as of today in Brussels. */
function needValue(need: NeedSide, today: string, now: Date): number {
  const daysLeft = need.neededBy ? daysBetween(today, need.neededBy) : null;
  const waitingDays = (now.getTime() - need.createdAt.getTime()) / DAY_MS;
  return 100 * needFactor(need.urgency, daysLeft, waitingDays);
}

/**
 * The score per unit of giving `quantity` units of this offer to this need, and their distance:
 * the same value allocate() maximises (docs/matching.md), for one pair.
 */
export function pairValue(
  offer: OfferSide,
  need: NeedSide,
  quantity: number,
  when: { today: string; now: Date },
): { score: number; distanceKm: number } {
  const km = distanceKm(offer, need);
  const score = needValue(need, when.today, when.now) * offerFactor(offer.condition) * distanceFactor(km) * coverageFactor(quantity / need.free);
  return { score, distanceKm: km };
}

/** How many improving pairs of an offer join the graph per round of pricing. */
const ADDED_PER_OFFER = 3;
/**
 * Up to this many offer × need pairs, pricing runs until nothing improves: the result is exactly
 * optimal. Above it, one round, which brings the total within about 1–2 % of the optimum on the
 * benchmark's instances at a fraction of the time (docs/matching.md).
 */
const EXACT_PAIRS = 50_000;
const ROUNDS_WHEN_LARGE = 1;
const EPSILON = 1e-9;

/**
 * Proposals for one category: the allocation of split quantities that maximises the total
 * score, solved as a transportation problem.
 *
 * Scoring every pair is cheap; solving over all of them is not. The solver runs on a sparse
 * graph (below), then prices the pairs left out with the solution's potentials (the LP duals):
 * a pair whose score exceeds potential(offer) − potential(need) would improve the total, so the
 * most improving ones join the graph and the solver runs again. For a category of up to
 * EXACT_PAIRS pairs this repeats until nothing improves, and the result is optimal over all
 * candidate pairs; above it, one round keeps the time bounded.
 */
export function allocate(input: AllocationInput): AllocationResult {
  const { offers, needs } = input;
  const n = offers.length;
  const m = needs.length;
  if (n === 0 || m === 0) return { proposals: [], totalScore: 0, candidates: 0 };

  // The parts of the score that depend on one side only are computed once per side.
  const needPart = new Float64Array(m);
  const locationOf = new Int32Array(m);
  const locations: Point[] = [];
  const locationIndex = new Map<string, number>();
  needs.forEach((need, j) => {
    needPart[j] = needValue(need, input.today, input.now);
    // Needs of one house share its coordinates: distances are computed per place, not per need.
    const key = `${need.lat},${need.lng}`;
    let index = locationIndex.get(key);
    if (index === undefined) {
      index = locations.push({ lat: need.lat, lng: need.lng }) - 1;
      locationIndex.set(key, index);
    }
    locationOf[j] = index;
  });
  const offerIndex = new Map(offers.map((offer, i) => [offer.id, i]));
  const needIndex = new Map(needs.map((need, j) => [need.id, j]));
  const declinedByOffer = pairsByOffer(input.declined, offerIndex, needIndex);
  const incumbentByOffer = pairsByOffer(input.incumbent ?? new Set(), offerIndex, needIndex);
  const stickiness = 1 + WEIGHTS.incumbentBonus;
  const km = new Float64Array(n * locations.length);
  const offerPart = new Float64Array(n);
  const active = new Uint8Array(n);
  offers.forEach((offer, i) => {
    active[i] = offer.free > 0 && offer.hasFutureWindow ? 1 : 0;
    offerPart[i] = offerFactor(offer.condition);
    locations.forEach((location, l) => (km[i * locations.length + l] = distanceKm(offer, location)));
  });
  const candidate = (i: number, j: number): boolean =>
    active[i] === 1 && needs[j].free > 0 && sizeCanReachHouse(offers[i].size, needs[j].houseId) && !declinedByOffer.get(i)?.has(j);
  // What the solver maximises: the score, raised for the pairs proposed already (see AllocationInput.incumbent).
  const score = (i: number, j: number): number =>
    needPart[j] *
    offerPart[i] *
    distanceFactor(km[i * locations.length + locationOf[j]]) *
    coverageFactor(Math.min(offers[i].free, needs[j].free) / needs[j].free) *
    (incumbentByOffer.get(i)?.has(j) ? stickiness : 1);

  // The sparse start. Each offer keeps its best K needs. On the need side, the best K offers of
  // each need would be the same few for all needs of a house (they share its place), so those
  // needs would compete for a handful of offers. Instead, per place, the offers are ranked by
  // what they are worth there and the needs by their own value; the needs then take consecutive
  // slices of that ranking as long as their quantities, widened by K on each side. The graph so
  // holds a plan that serves every need, and the solver improves on it.
  const k = input.candidatesPerSide;
  const inGraph = new Uint8Array(n * m);
  const edgeOffer: number[] = [];
  const edgeNeed: number[] = [];
  const edgeScore: number[] = [];
  const addEdge = (i: number, j: number, value: number) => {
    const key = i * m + j;
    if (inGraph[key]) return;
    inGraph[key] = 1;
    edgeOffer.push(i);
    edgeNeed.push(j);
    edgeScore.push(value);
  };
  // The current proposals are always in the graph, so that the solver may keep them.
  incumbentByOffer.forEach((js, i) => js.forEach((j) => candidate(i, j) && addEdge(i, j, score(i, j))));
  const bestOfOffer = new TopK(k);
  for (let i = 0; i < n; i++) {
    if (!active[i]) continue;
    bestOfOffer.clear();
    for (let j = 0; j < m; j++) if (candidate(i, j)) bestOfOffer.offer(score(i, j), j);
    bestOfOffer.forEach((value, j) => addEdge(i, j, value));
  }
  const activeOffers = offers.map((_, i) => i).filter((i) => active[i] === 1);
  // The places compete for the same offers: each need's slice is twice its quantity.
  const spread = 2;
  locations.forEach((_, l) => {
    const ranked = [...activeOffers].sort(
      (a, b) => offerPart[b] * distanceFactor(km[b * locations.length + l]) - offerPart[a] * distanceFactor(km[a * locations.length + l]),
    );
    const suppliedBefore = new Float64Array(ranked.length + 1);
    ranked.forEach((i, r) => (suppliedBefore[r + 1] = suppliedBefore[r] + offers[i].free));
    const here = needs.map((_, j) => j).filter((j) => locationOf[j] === l && needs[j].free > 0);
    here.sort((a, b) => needPart[b] - needPart[a]);
    let position = 0;
    for (const j of here) {
      const first = Math.max(0, rankAt(suppliedBefore, position) - k);
      position += needs[j].free * spread;
      const last = Math.min(ranked.length - 1, rankAt(suppliedBefore, position - 1) + k);
      for (let r = first; r <= last; r++) {
        const i = ranked[r];
        if (candidate(i, j)) addEdge(i, j, score(i, j));
      }
    }
  });

  const supplies = offers.map((offer) => (offer.hasFutureWindow ? offer.free : 0));
  const demands = needs.map((need) => need.free);
  let solution = solveTransport({ supplies, demands, edges: edgesOf(edgeOffer, edgeNeed, edgeScore) });
  const rounds = n * m <= EXACT_PAIRS ? Infinity : ROUNDS_WHEN_LARGE;
  for (let round = 0; round < rounds; round++) {
    let added = 0;
    const violated = new TopK(ADDED_PER_OFFER);
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      violated.clear();
      const threshold = solution.offerPotential[i];
      for (let j = 0; j < m; j++) {
        if (inGraph[i * m + j] || !candidate(i, j)) continue;
        const value = score(i, j);
        const gain = value - (threshold - solution.needPotential[j]);
        if (gain > EPSILON * Math.max(1, value)) violated.offer(gain, j);
      }
      violated.forEach((_, j) => {
        addEdge(i, j, score(i, j));
        added++;
      });
    }
    if (added === 0) break;
    solution = solveTransport({ supplies, demands, edges: edgesOf(edgeOffer, edgeNeed, edgeScore) });
  }

  const proposals: Proposal[] = [];
  solution.flows.forEach((quantity, e) => {
    if (quantity <= 0) return;
    const i = edgeOffer[e];
    const j = edgeNeed[e];
    proposals.push({
      offerId: offers[i].id,
      needId: needs[j].id,
      quantity,
      score: round(incumbentByOffer.get(i)?.has(j) ? edgeScore[e] / stickiness : edgeScore[e], 4),
      distanceKm: round(km[i * locations.length + locationOf[j]], 1),
    });
  });
  return { proposals, totalScore: solution.totalWeight, candidates: edgeOffer.length };
}

/** Pairs given as "offerId:needId", as need indices per offer index (pairs of unknown ids are left out). */
function pairsByOffer(keys: Set<string>, offerIndex: Map<string, number>, needIndex: Map<string, number>): Map<number, Set<number>> {
  const byOffer = new Map<number, Set<number>>();
  for (const key of keys) {
    const [offerId, needId] = key.split(':');
    const i = offerIndex.get(offerId);
    const j = needIndex.get(needId);
    if (i === undefined || j === undefined) continue;
    const set = byOffer.get(i) ?? new Set<number>();
    set.add(j);
    byOffer.set(i, set);
  }
  return byOffer;
}

/** The rank whose offer holds the unit at this position of the cumulative supply (clamped to the last). */
function rankAt(suppliedBefore: Float64Array, unit: number): number {
  let low = 0;
  let high = suppliedBefore.length - 2;
  if (high < 0) return 0;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (suppliedBefore[mid] <= unit) low = mid;
    else high = mid - 1;
  }
  return low;
}

function edgesOf(from: number[], to: number[], weight: number[]) {
  return from.map((i, e) => ({ from: i, to: to[e], weight: weight[e] }));
}

/** The K largest values seen, with their keys (a small min-heap). */
class TopK {
  private readonly values: Float64Array;
  private readonly keys: Int32Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.values = new Float64Array(Math.max(1, capacity));
    this.keys = new Int32Array(Math.max(1, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  offer(value: number, key: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.values[parent] <= value) break;
        this.values[i] = this.values[parent];
        this.keys[i] = this.keys[parent];
        i = parent;
      }
      this.values[i] = value;
      this.keys[i] = key;
      return;
    }
    if (value <= this.values[0]) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.values[child + 1] < this.values[child]) child++;
      if (this.values[child] >= value) break;
      this.values[i] = this.values[child];
      this.keys[i] = this.keys[child];
      i = child;
    }
    this.values[i] = value;
    this.keys[i] = key;
  }

  forEach(visit: (value: number, key: number) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.values[i], this.keys[i]);
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
