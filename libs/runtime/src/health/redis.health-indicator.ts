import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type Redis from 'ioredis';
import { InjectRedis } from '../tokens/inject.decorators';
import { withTimeout } from '../with-timeout';

/** Ready when Redis answers PING. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      const pong = await withTimeout(this.redis.ping(), timeoutMs, 'Redis');
      return indicator.up({ reply: pong });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
