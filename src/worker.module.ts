import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from './config/app-config';
import { MatchingModule } from './modules/matching/matching.module';
import { MatchingProcessor } from './modules/matching/matching.processor';
import { PlacementProcessor } from './modules/matching/placement.processor';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { NotificationsProcessor } from './modules/notifications/notifications.processor';
import { PickupsModule } from './modules/pickups/pickups.module';
import { PickupsProcessor } from './modules/pickups/pickups.processor';
import { JobName, QueueName } from './queue/catalogue';
import { OutboxRelay } from './queue/outbox.relay';

/** Registers the repeatable jobs once per worker start (an upsert: any number of workers agree). */
@Injectable()
class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('Schedules');

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Matching) private readonly matching: Queue,
    @InjectQueue(QueueName.Pickups) private readonly pickups: Queue,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(this.matching, JobName.SweepMatching, this.config.MATCHING_SWEEP_MS);
    this.schedule(this.pickups, JobName.EscalatePickups, this.config.PICKUP_ESCALATION_MS);
  }

  private schedule(queue: Queue, name: JobName, every: number): void {
    if (every === 0) return;
    // Not awaited: a worker starts while Redis is away, and schedules itself once it is back.
    queue
      .upsertJobScheduler(name, { every }, { name, data: {} })
      .catch((error: Error) => this.logger.warn(`could not schedule ${name}: ${error.message}`));
  }
}

/**
 * Everything that runs jobs: the BullMQ processors, the outbox relay and the schedules.
 * Imported by the app when APP_ROLE is `all` or `worker`, never when it is `api`.
 */
@Module({
  imports: [MatchingModule, NotificationsModule, PickupsModule],
  providers: [MatchingProcessor, PlacementProcessor, NotificationsProcessor, PickupsProcessor, OutboxRelay, Schedules],
})
export class WorkerModule {}
