import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { CONCURRENCY, JobName, jobOptions, JobPayloads, QueueName, WORKER_RECOVERY } from '../../queue/catalogue';
import { MatchingService } from './matching.service';
import { OutboxService } from '../../queue/outbox.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import { currentRequestId, requestIdOfJob, withRequestId } from '../../common/logging/request-context';

/** Optimisations of different categories run side by side; one category has one at a time (deduplicated per category, catalogue.ts). */
@Processor(QueueName.Matching, { concurrency: CONCURRENCY[QueueName.Matching], ...WORKER_RECOVERY })
export class MatchingProcessor extends WorkerHost {
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

  process(job: Job): Promise<unknown> {
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
