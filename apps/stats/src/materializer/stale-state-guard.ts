import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Logger } from '@workpipe/logging';
import type { StatsKeys } from '../redis/stats-keys';
import { STATS_LAYOUT } from './stats-layout';

/**
 * Detects stats kept in Redis for topics that no longer hold those events: an
 * offset stored for a partition at or past its log end means the topic was
 * recreated (a new cluster, a reset dev stack) while Redis kept the old state.
 * Those numbers describe events that are gone, and every new event would be
 * skipped as already applied; the only true numbers are those rebuilt from the
 * topics as they are, so the state is discarded and rebuilt. So is state kept
 * under another layout (`stats:layout`, see {@link STATS_LAYOUT}): it lacks keys
 * this version reads, and would answer some filters wrong.
 */
export class StaleStateGuard {
  constructor(
    private readonly redis: Redis,
    private readonly admin: Admin,
    private readonly keys: StatsKeys,
    private readonly logger: Logger,
  ) {}

  /** Returns true if stale state was found and discarded. */
  async discardIfStale(topics: readonly string[]): Promise<boolean> {
    const stored = await this.redis.hgetall(this.keys.offsets());
    if (Object.keys(stored).length === 0) return false;
    const stale: string[] = [];
    for (const topic of topics) {
      const ends = new Map((await this.admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, BigInt(entry.high)]));
      for (const [position, offset] of Object.entries(stored)) {
        const separator = position.lastIndexOf(':');
        if (position.slice(0, separator) !== topic) continue;
        const end = ends.get(Number(position.slice(separator + 1)));
        if (end === undefined || BigInt(offset) >= end) stale.push(`${position} (stored ${offset}, log end ${end ?? 'no such partition'})`);
      }
    }
    if (stale.length > 0) {
      this.logger.error({ stale: stale.slice(0, 10) }, 'stats in Redis are ahead of the topics (topics recreated?): discarding them and rebuilding from the topics');
      await this.discard(new Set());
      return true;
    }
    const layout = await this.redis.get(this.keys.layout());
    if (layout !== STATS_LAYOUT) {
      this.logger.warn(
        { layout: layout ?? '1', current: STATS_LAYOUT },
        'stats in Redis were kept under an older layout: discarding them (alert states aside) and rebuilding from the topics',
      );
      // The alert states are of these same topics: kept, a raised alert is not raised again.
      await this.discard(new Set([this.keys.alerts(), this.keys.alertOutbox()]));
      return true;
    }
    return false;
  }

  /** Deletes every stats key but those in `keep`. */
  private async discard(keep: ReadonlySet<string>): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${this.keys.base}*`, 'COUNT', 1000);
      cursor = next;
      const doomed = found.filter((key) => !keep.has(key));
      if (doomed.length > 0) await this.redis.unlink(...doomed);
    } while (cursor !== '0');
  }
}
