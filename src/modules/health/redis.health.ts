import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { REDIS } from '../../redis/redis.module';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key: string, timeoutMs = 1_000): Promise<HealthIndicatorResult> {
    const indicator = this.indicator.check(key);
    try {
      if (this.redis.status !== 'ready') return indicator.down({ message: `not connected (${this.redis.status})` });
      const answer = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      return answer === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected answer ${answer}` });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
