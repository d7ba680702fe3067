import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from '@workpipe/logging';
import { InjectRedis, InjectRootLogger } from '@workpipe/runtime';
import { StatsKeys } from '../redis/stats-keys';
import { HIDE_OLD_ABANDONED_LUA } from './hide-old-abandoned.lua';

/** Items hidden per script run: keeps each run short, since a script holds Redis. */
const CHUNK = 500;

/** The seed's `failure-stats --clear-old HOURS`: hides old abandoned entries from the failures view. */
@Injectable()
export class FailureHider {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly keys: StatsKeys,
    @InjectRootLogger() private readonly logger: Logger,
  ) {}

  /** Hides abandoned items whose first failure is more than `olderThanHours` old; returns how many. */
  async hideAbandonedOlderThan(olderThanHours: number, nowMs: number): Promise<{ hidden: number; cutoff: string }> {
    const cutoffMs = nowMs - olderThanHours * 3_600_000;
    let hidden = 0;
    for (;;) {
      const count = Number(await this.redis.eval(HIDE_OLD_ABANDONED_LUA, 0, this.keys.base, String(cutoffMs), String(CHUNK)));
      hidden += count;
      if (count < CHUNK) break;
    }
    this.logger.info({ hidden, olderThanHours }, 'old abandoned failures hidden from the failures view');
    return { hidden, cutoff: new Date(cutoffMs).toISOString() };
  }
}
