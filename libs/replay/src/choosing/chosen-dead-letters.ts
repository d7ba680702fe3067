import type Redis from 'ioredis';
import type { LatestDeadLetter } from './retry-candidates';

/**
 * The dead letters retry-failures chose, in Redis (a sorted set: score
 * `abandonedAt`, member the position as fixed-width text, so ties go by
 * position), so its `max` oldest are kept in bounded memory and every later
 * run replays exactly these.
 */
export class ChosenDeadLetters {
  constructor(
    private readonly redis: Redis,
    /** The sorted set, e.g. `replay:<id>:chosen`. */
    readonly key: string,
    /** Expiry set on every add, in milliseconds (a dry run's); 0: none (the replay's record keeps its keys). */
    private readonly ttlMs = 0,
  ) {}

  async add(entries: readonly LatestDeadLetter[]): Promise<void> {
    if (entries.length === 0) return;
    const args: (string | number)[] = [];
    for (const entry of entries) args.push(entry.abandonedAtMs, memberOf(entry.partition, entry.offset));
    if (this.ttlMs > 0) await this.redis.multi().zadd(this.key, ...args).pexpire(this.key, this.ttlMs).exec();
    else await this.redis.zadd(this.key, ...args);
  }

  /** Keeps the `max` abandoned longest ago. */
  async keepOldest(max: number): Promise<void> {
    await this.redis.zremrangebyrank(this.key, max, -1);
  }

  size(): Promise<number> {
    return this.redis.zcard(this.key);
  }

  /** Whether each position was chosen. */
  async contains(positions: readonly { partition: number; offset: string }[]): Promise<boolean[]> {
    if (positions.length === 0) return [];
    const scores = await this.redis.zmscore(this.key, ...positions.map(({ partition, offset }) => memberOf(partition, offset)));
    return scores.map((score) => score !== null);
  }

  async delete(): Promise<void> {
    await this.redis.del(this.key);
  }
}

/** `00002:0000000000000000140`: lexical order is position order. */
export function memberOf(partition: number, offset: string): string {
  return `${String(partition).padStart(5, '0')}:${offset.padStart(19, '0')}`;
}
