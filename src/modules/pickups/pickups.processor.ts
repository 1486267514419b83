import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { CONCURRENCY, JobName, JobPayloads, QueueName, WORKER_RECOVERY } from '../../queue/catalogue';
import { PickupsService } from './pickups.service';
import { MetricsService } from '../metrics/metrics.service';
import { requestIdOfJob, withRequestId } from '../../common/logging/request-context';

@Processor(QueueName.Pickups, { concurrency: CONCURRENCY[QueueName.Pickups], ...WORKER_RECOVERY })
export class PickupsProcessor extends WorkerHost {
  constructor(
    private readonly metrics: MetricsService,
    private readonly pickups: PickupsService,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.metrics.timeJob(QueueName.Pickups, job, () => withRequestId(requestIdOfJob(job), () => this.handle(job)));
  }

  private async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.SchedulePickup:
        return this.pickups.schedulePickup((job.data as JobPayloads[JobName.SchedulePickup]).matchId);
      case JobName.ScheduleOfferPickups:
        return this.pickups.scheduleOfferPickups((job.data as JobPayloads[JobName.ScheduleOfferPickups]).offerId);
      case JobName.NotifyVolunteers: {
        const { pickupId, round } = job.data as JobPayloads[JobName.NotifyVolunteers];
        return this.pickups.notifyVolunteers(pickupId, round);
      }
      case JobName.SendReminder: {
        const { pickupId, windowStart } = job.data as JobPayloads[JobName.SendReminder];
        return this.pickups.sendReminder(pickupId, windowStart);
      }
      case JobName.ReviewPickup:
        return this.pickups.review((job.data as JobPayloads[JobName.ReviewPickup]).pickupId);
      case JobName.EscalatePickups:
        return this.pickups.escalate();
      default:
        throw new Error(`unknown job ${job.name} on ${QueueName.Pickups}`);
    }
  }
}
