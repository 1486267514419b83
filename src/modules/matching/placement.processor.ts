import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { CONCURRENCY, JobName, JobPayloads, QueueName, WORKER_RECOVERY } from '../../queue/catalogue';
import { MetricsService } from '../metrics/metrics.service';
import { requestIdOfJob, withRequestId } from '../../common/logging/request-context';
import { PlacementService } from './placement.service';

/** Quick placements, on a queue of their own so that they never wait behind an optimisation. */
@Processor(QueueName.Placement, { concurrency: CONCURRENCY[QueueName.Placement], ...WORKER_RECOVERY })
export class PlacementProcessor extends WorkerHost {
  constructor(
    private readonly metrics: MetricsService,
    private readonly placement: PlacementService,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.metrics.timeJob(QueueName.Placement, job, () => withRequestId(requestIdOfJob(job), () => this.handle(job)));
  }

  private handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.PlaceOffer:
        return this.placement.placeOffer((job.data as JobPayloads[JobName.PlaceOffer]).offerId);
      case JobName.PlaceNeed:
        return this.placement.placeNeed((job.data as JobPayloads[JobName.PlaceNeed]).needId);
      default:
        throw new Error(`unknown job ${job.name} on ${QueueName.Placement}`);
    }
  }
}
