import { JobsOptions } from 'bullmq';

/** Every queue of the service. */
export enum QueueName {
  Matching = 'matching',
  Notifications = 'notifications',
}

/** Every job of the service; each belongs to exactly one queue. */
export enum JobName {
  /** Re-optimise the proposals of one category. */
  OptimiseCategory = 'optimise-category',
  /** The safety net: ask for an optimisation of every category, and expire offers without availability. */
  SweepMatching = 'sweep-matching',
  /** Tell the donor that a house accepted their goods. */
  NotifyMatchAccepted = 'notify-match-accepted',
}

/** What each job carries: ids only, never personal data (BullMQ keeps job data in clear text in Redis). */
export interface JobPayloads {
  [JobName.OptimiseCategory]: { categoryCode: string };
  [JobName.SweepMatching]: Record<string, never>;
  [JobName.NotifyMatchAccepted]: { matchId: string };
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.OptimiseCategory]: QueueName.Matching,
  [JobName.SweepMatching]: QueueName.Matching,
  [JobName.NotifyMatchAccepted]: QueueName.Notifications,
};

export type JobRequest = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];

/** Retries with exponential backoff; finished jobs are kept for a while for inspection, then removed. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

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
