import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './catalogue';
import { OutboxService } from './outbox.service';
import { QueueErrors } from './queue-errors';
import { redisConnection } from './redis-connection';

const queues = Object.values(QueueName).map((name) => ({ name }));

/** BullMQ on REDIS_URL with the catalogue's queues, and the outbox through which jobs are asked for. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [OutboxService, QueueErrors],
  exports: [OutboxService, BullModule],
})
export class QueueModule {}
