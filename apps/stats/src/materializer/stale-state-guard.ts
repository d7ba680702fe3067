import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { Logger } from '@workpipe/logging';

/**
 * Detects stats kept in Redis for topics that no longer hold those events: an
 * offset stored for a partition at or past its log end means the topic was
 * recreated (a new cluster, a reset dev stack) while Redis kept the old state.
 * Those numbers describe events that are gone, and every new event would be
 * skipped as already applied; the only true numbers are those rebuilt from the
 * topics as they are, so the state is discarded and rebuilt.
 */
export class StaleStateGuard {
  constructor(
    private readonly redis: Redis,
    private readonly admin: Admin,
    private readonly offsetsKey: string,
    /** Prefix of every stats key, e.g. `workpipe:stats:`. */
    private readonly statsPrefix: string,
    private readonly logger: Logger,
  ) {}

  /** Returns true if stale state was found and discarded. */
  async discardIfStale(topics: readonly string[]): Promise<boolean> {
    const stored = await this.redis.hgetall(this.offsetsKey);
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
    if (stale.length === 0) return false;
    this.logger.error({ stale: stale.slice(0, 10) }, 'stats in Redis are ahead of the topics (topics recreated?): discarding them and rebuilding from the topics');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.statsPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return true;
  }
}
