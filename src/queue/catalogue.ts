import { JobsOptions } from 'bullmq';

/** Every queue of the service. */
export enum QueueName {
  Matching = 'matching',
  /** Quick placements of one new or changed offer or need, kept apart from the long optimisations. */
  Placement = 'placement',
  Notifications = 'notifications',
  Pickups = 'pickups',
}

/** Every job of the service; each belongs to exactly one queue. */
export enum JobName {
  /** Re-optimise the proposals of one category. */
  OptimiseCategory = 'optimise-category',
  /** Propose an offer's free units to the best needs with free room, at once (docs/matching.md). */
  PlaceOffer = 'place-offer',
  /** Fill a need's free room from the best offers with free units, at once. */
  PlaceNeed = 'place-need',
  /** The safety net: ask for an optimisation of every category, and expire offers without availability. */
  SweepMatching = 'sweep-matching',
  /** Tell the donor that a house accepted their goods. */
  NotifyMatchAccepted = 'notify-match-accepted',
  /** Put an accepted match on a pickup (a new one, or the open one of its offer and house). */
  SchedulePickup = 'schedule-pickup',
  /** The donor changed their offer: plan its pickups again where they no longer fit, or had no window. */
  ScheduleOfferPickups = 'schedule-offer-pickups',
  /** Offer a pickup to the volunteers who can carry it, nearest first. */
  NotifyVolunteers = 'notify-volunteers',
  /** Remind the volunteer and the donor, the evening before the window. */
  SendReminder = 'send-reminder',
  /** Some of a pickup's matches ended: cancel it when nothing is left to carry. */
  ReviewPickup = 'review-pickup',
  /** E-mail one notification to its recipient, in their language (only when SMTP_URL is set). */
  SendEmail = 'send-email',
  /** The repeatable check: unclaimed pickups close to their window, missed windows. */
  EscalatePickups = 'escalate-pickups',
}

/** What each job carries: ids only, never personal data (BullMQ keeps job data in clear text in Redis). */
export interface JobPayloads {
  [JobName.OptimiseCategory]: { categoryCode: string };
  [JobName.PlaceOffer]: { offerId: string };
  [JobName.PlaceNeed]: { needId: string };
  [JobName.SweepMatching]: Record<string, never>;
  [JobName.NotifyMatchAccepted]: { matchId: string };
  [JobName.SchedulePickup]: { matchId: string };
  [JobName.ScheduleOfferPickups]: { offerId: string };
  [JobName.NotifyVolunteers]: { pickupId: string; round: number };
  [JobName.SendReminder]: { pickupId: string; windowStart: string };
  [JobName.EscalatePickups]: Record<string, never>;
  [JobName.ReviewPickup]: { pickupId: string };
  [JobName.SendEmail]: { notificationId: string };
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.OptimiseCategory]: QueueName.Matching,
  [JobName.PlaceOffer]: QueueName.Placement,
  [JobName.PlaceNeed]: QueueName.Placement,
  [JobName.SweepMatching]: QueueName.Matching,
  [JobName.NotifyMatchAccepted]: QueueName.Notifications,
  [JobName.SchedulePickup]: QueueName.Pickups,
  [JobName.ScheduleOfferPickups]: QueueName.Pickups,
  [JobName.NotifyVolunteers]: QueueName.Pickups,
  [JobName.SendReminder]: QueueName.Pickups,
  [JobName.EscalatePickups]: QueueName.Pickups,
  [JobName.ReviewPickup]: QueueName.Pickups,
  [JobName.SendEmail]: QueueName.Notifications,
};

/** A job asked for; `runAt` delays it (a reminder the evening before a pickup). */
export type JobRequest = { [N in JobName]: { name: N; data: JobPayloads[N]; runAt?: Date } }[JobName];

/** Retries with exponential backoff; finished jobs are kept for a while for inspection, then removed. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

/**
 * How fast the jobs of a worker that died (SIGKILL, a lost machine) go to another one. A job's
 * lock lasts lockDuration and is renewed at half of it while the job runs (the long matching
 * work runs in a worker thread, so the event loop stays free to renew it); every
 * stalledInterval a worker looks for jobs whose lock expired and takes them back. A job may be
 * taken back twice before it counts as failed (every handler is idempotent): BullMQ's defaults
 * (30 s, 30 s, once) kept a dead worker's work waiting 65–97 s (npm run test:faults).
 */
export const WORKER_RECOVERY = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 2 } as const;

/**
 * Jobs run at once per queue in one worker process. Optimisations are few and long (one per
 * category at a time anyway). A placement job mostly waits: its offer joins the next batch of its
 * category, and each category places one batch at a time (PlacementService). A batch can only hold
 * the jobs that are running, so this bounds the batches: with 8, under a campaign's backlog, the 8
 * running jobs spread over 7 categories made batches of about one offer, and placement fell behind.
 */
export const CONCURRENCY: Record<QueueName, number> = {
  [QueueName.Matching]: 2,
  [QueueName.Placement]: 64,
  [QueueName.Notifications]: 4,
  [QueueName.Pickups]: 4,
};

/**
 * Database connections a queue's jobs hold at once, at most: one a job, except for placements,
 * which use one for each category's batch and a moment of one for each job's lookup.
 */
const CONNECTIONS: Record<QueueName, number> = { ...CONCURRENCY, [QueueName.Placement]: 8 };

/** A worker's database pool: the connections of every queue, and two for the relay and the rest. */
export const WORKER_POOL_SIZE = Object.values(CONNECTIONS).reduce((sum, n) => sum + n, 0) + 2;

export interface JobTuning {
  matchingDebounceMs: number;
}

/**
 * Options that depend on the job itself. An optimisation waits a moment for more changes of
 * its category and is deduplicated per category: one may wait while another runs, never more,
 * so a burst of offers costs two optimisations, not one per offer.
 */
export function jobOptions(request: JobRequest, tuning: JobTuning): JobsOptions {
  if (request.name === JobName.OptimiseCategory) {
    return {
      delay: tuning.matchingDebounceMs,
      deduplication: { id: `optimise:${request.data.categoryCode}`, keepLastIfActive: true },
    };
  }
  return {};
}
