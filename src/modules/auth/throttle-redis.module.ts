import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

export const THROTTLE_REDIS = Symbol('THROTTLE_REDIS');

@Injectable()
class ThrottleRedisLifecycle implements OnModuleDestroy {
  constructor(@Inject(THROTTLE_REDIS) private readonly redis: Redis) {}

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

/**
 * The Redis connection of the rate limits: its own, so that it fails at once instead of queueing
 * while Redis is away, with its keys under the service's prefix, and closed with the app.
 */
@Module({
  providers: [
    {
      provide: THROTTLE_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Redis(config.REDIS_URL, {
          keyPrefix: `${config.QUEUE_PREFIX}:throttle:`,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
        }).on('error', () => undefined),
    },
    ThrottleRedisLifecycle,
  ],
  exports: [THROTTLE_REDIS],
})
export class ThrottleRedisModule {}
