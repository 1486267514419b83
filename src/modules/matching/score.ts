import { Urgency } from '../needs/entities/need.entity';
import { Condition } from '../offers/entities/offer.entity';

/**
 * The weights of the score, documented with the formula in docs/matching.md. The score is a
 * value per unit given: the allocation maximises Σ score × quantity over all matches.
 */
export const WEIGHTS = {
  /** urgent ≫ high > normal > low */
  urgency: { urgent: 8, high: 3, normal: 1.5, low: 1 } satisfies Record<Urgency, number>,
  /** A need due today counts (1 + deadlineBoost) times one without a date; the boost halves every deadlineHalfLifeDays. */
  deadlineBoost: 1.5,
  deadlineHalfLifeDays: 7,
  /** At this distance the value halves; at three times it, a quarter. */
  distanceHalfKm: 25,
  /** Waiting raises a need's value linearly, up to (1 + waitingMaxBoost) after waitingFullDays. */
  waitingMaxBoost: 1,
  waitingFullDays: 60,
  condition: { new: 1, good: 0.9, fair: 0.7 } satisfies Record<Condition, number>,
  /** A pair whose offer can cover all of the need is worth (1 + coverageBoost) times one covering almost nothing. */
  coverageBoost: 1,
  /**
   * A pair proposed already counts this much more when the category is optimised again: a
   * proposal moves only when the move gains more than that, so coordinators do not see proposals
   * come and go for marginal gains (the quick placements are a few per cent below the optimum).
   */
  incumbentBonus: 0.05,
} as const;

export interface PairFacts {
  urgency: Urgency;
  /** Whole days from today (Brussels) to neededBy; null without a date; below 0 when overdue. */
  daysLeft: number | null;
  distanceKm: number;
  /** Days since the need was posted. */
  waitingDays: number;
  condition: Condition;
  /** The share of the need's open quantity that this offer alone could cover, 0..1. */
  coverage: number;
}

/** The need's own part of the score: urgency, deadline and waiting time. */
export function needFactor(urgency: Urgency, daysLeft: number | null, waitingDays: number): number {
  const deadline = daysLeft === null ? 1 : 1 + WEIGHTS.deadlineBoost * 0.5 ** (Math.max(0, daysLeft) / WEIGHTS.deadlineHalfLifeDays);
  const waiting = 1 + WEIGHTS.waitingMaxBoost * Math.min(1, Math.max(0, waitingDays) / WEIGHTS.waitingFullDays);
  return WEIGHTS.urgency[urgency] * deadline * waiting;
}

/** The offer's own part: its condition. */
export function offerFactor(condition: Condition): number {
  return WEIGHTS.condition[condition];
}

export function distanceFactor(km: number): number {
  return 1 / (1 + Math.max(0, km) / WEIGHTS.distanceHalfKm);
}

export function coverageFactor(coverage: number): number {
  return 1 + WEIGHTS.coverageBoost * Math.min(1, Math.max(0, coverage));
}

/** The value of giving one unit of this offer to this need. Always > 0. */
export function scorePair(facts: PairFacts): number {
  return (
    100 *
    needFactor(facts.urgency, facts.daysLeft, facts.waitingDays) *
    offerFactor(facts.condition) *
    distanceFactor(facts.distanceKm) *
    coverageFactor(facts.coverage)
  );
}
