import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { CONCURRENCY, JobName, JobPayloads, QueueName, WORKER_RECOVERY } from '../../queue/catalogue';
import { NotificationsService } from './notifications.service';
import { Mailer } from './mailer';
import { MetricsService } from '../metrics/metrics.service';
import { requestIdOfJob, withRequestId } from '../../common/logging/request-context';

@Processor(QueueName.Notifications, { concurrency: CONCURRENCY[QueueName.Notifications], ...WORKER_RECOVERY })
export class NotificationsProcessor extends WorkerHost {
  constructor(
    private readonly metrics: MetricsService,
    private readonly notifications: NotificationsService,
    private readonly mailer: Mailer,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.metrics.timeJob(QueueName.Notifications, job, () => withRequestId(requestIdOfJob(job), () => this.handle(job)));
  }

  private async handle(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case JobName.NotifyMatchAccepted:
        return this.notifications.notifyMatchAccepted((job.data as JobPayloads[JobName.NotifyMatchAccepted]).matchId);
      case JobName.SendEmail:
        return this.mailer.send((job.data as JobPayloads[JobName.SendEmail]).notificationId);
      default:
        throw new Error(`unknown job ${job.name} on ${QueueName.Notifications}`);
    }
  }
}
