import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { QueueName } from './catalogue';

/**
 * Logs a queue's connection errors once per outage instead of letting them reach the
 * console unhandled; the connection retries by itself and the outbox keeps the work.
 * (Errors raised while the queues are being created, before this runs, still reach the console.)
 */
@Injectable()
export class QueueErrors implements OnModuleInit {
  private readonly logger = new Logger('Queues');

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QueueName)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      let down = false;
      queue.on('error', (error: Error) => {
        if (!down) this.logger.warn(`queue ${name}: ${error.message}`);
        down = true;
      });
      void queue.waitUntilReady().then(
        () => (down = false),
        () => undefined,
      );
    }
  }
}
