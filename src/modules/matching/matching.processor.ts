import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { performance } from 'node:perf_hooks';
import { DelayedError, Job, Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { CONCURRENCY, JobName, jobOptions, JobPayloads, QueueName, WORKER_RECOVERY } from '../../queue/catalogue';
import { MatchingService } from './matching.service';
import { OutboxService } from '../../queue/outbox.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { currentRequestId, requestIdOfJob, withRequestId } from '../../common/logging/request-context';

/** The last optimisation of a category in this process: when it started and how long it ran (ms, monotonic clock). */
export interface LastOptimisation {
  start: number;
  /** 0 while it runs. */
  ms: number;
}

/** At most this share of the time goes to optimising one category, however slow its optimisations become. */
export const OPTIMISATION_SHARE = 0.2;

/**
 * The earliest start of a category's next optimisation: MATCHING_MIN_INTERVAL_MS after the last one
 * started, and later when the last one was long. Under a campaign's load on a slow machine, an
 * optimisation of the largest category took 15 s; 30 s apart, optimisations held both of their slots
 * all the time and took the cores from the placements. An interval of 0 spaces nothing (tests).
 */
export function nextOptimisationAt(last: LastOptimisation | undefined, minIntervalMs: number): number {
  if (!last || minIntervalMs <= 0) return -Infinity;
  return last.start + Math.max(minIntervalMs, last.ms / OPTIMISATION_SHARE);
}

/** Optimisations of different categories run side by side; one category has one at a time (deduplicated per category, catalogue.ts). */
@Processor(QueueName.Matching, { concurrency: CONCURRENCY[QueueName.Matching], ...WORKER_RECOVERY })
export class MatchingProcessor extends WorkerHost {
  /** The last optimisation of each category in this process. */
  private readonly last = new Map<string, LastOptimisation>();

  constructor(
    private readonly metrics: MetricsService,
    private readonly matching: MatchingService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Matching) private readonly queue: Queue,
    private readonly outbox: OutboxService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    if (job.name === JobName.OptimiseCategory) {
      const { categoryCode } = job.data as JobPayloads[JobName.OptimiseCategory];
      const wait = nextOptimisationAt(this.last.get(categoryCode), this.config.MATCHING_MIN_INTERVAL_MS) - performance.now();
      if (wait > 0 && token) {
        // Too soon after the last one: this job waits its turn in the delayed set. It stays the
        // category's one pending optimisation (deduplicated), and reads the category when it runs.
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      const run: LastOptimisation = { start: performance.now(), ms: 0 };
      this.last.set(categoryCode, run);
      try {
        const result = await this.run(job);
        run.ms = performance.now() - run.start;
        return result;
      } catch (error) {
        // A failed attempt wrote nothing: its retry waits for BullMQ's backoff only, not for the interval.
        if (this.last.get(categoryCode) === run) this.last.delete(categoryCode);
        throw error;
      }
    }
    return this.run(job);
  }

  private run(job: Job): Promise<unknown> {
    return this.metrics.timeJob(QueueName.Matching, job, () => withRequestId(requestIdOfJob(job), () => this.handle(job)));
  }

  private async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.OptimiseCategory:
        return this.matching.optimiseCategory((job.data as JobPayloads[JobName.OptimiseCategory]).categoryCode);
      case JobName.SweepMatching:
        return this.handleSweep();
      default:
        throw new Error(`unknown job ${job.name} on ${QueueName.Matching}`);
    }
  }

  /** The safety net: every category is optimised again, whatever a lost trigger may have missed. */
  private async handleSweep(): Promise<{ categories: number; outboxPruned: number }> {
    const outboxPruned = await this.outbox.prune(this.dataSource.manager);
    const categories = await this.matching.categories();
    const tuning = { matchingDebounceMs: this.config.MATCHING_DEBOUNCE_MS };
    for (const categoryCode of categories) {
      const request = { name: JobName.OptimiseCategory, data: { categoryCode } } as const;
      // Straight to the queue (a lost add is made good by the next sweep), with the sweep's id for tracing.
      await this.queue.add(request.name, { ...request.data, requestId: currentRequestId() }, jobOptions(request, tuning));
    }
    return { categories: categories.length, outboxPruned };
  }
}
