import type Redis from 'ioredis';
import type { Admin } from 'kafkajs';
import type { KnownStoredOffsets } from './known-stored-offsets';

/**
 * Where each partition must be read from. Redis is the source of truth: the
 * next offset is the one after the last offset applied there (`stats:offsets`);
 * with none stored (a new deployment, or an emptied Redis) it is the start of
 * the partition's log, so the numbers are rebuilt from the topics. The consumer
 * group's committed offsets are only for lag monitoring. What it answers is
 * what the consumer then knows is stored (`KnownStoredOffsets`).
 */
export class PartitionPositions {
  private readonly lowWatermarks = new Map<string, Map<number, string>>();

  constructor(
    private readonly redis: Redis,
    private readonly admin: Admin,
    private readonly offsetsKey: string,
    private readonly known: KnownStoredOffsets,
  ) {}

  /** Next offset to apply for each partition, from Redis, else the log start. */
  async nextOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, string>> {
    const stored = partitions.length > 0 ? await this.redis.hmget(this.offsetsKey, ...partitions.map((p) => `${topic}:${p}`)) : [];
    const result = new Map<number, string>();
    const missing: number[] = [];
    partitions.forEach((partition, i) => {
      const offset = stored[i] ?? null;
      this.known.resumed(topic, partition, offset);
      if (offset !== null) result.set(partition, (BigInt(offset) + 1n).toString());
      else missing.push(partition);
    });
    if (missing.length > 0) {
      const low = await this.logStarts(topic, true);
      for (const partition of missing) result.set(partition, low.get(partition) ?? '0');
    }
    return result;
  }

  private async logStarts(topic: string, refresh: boolean): Promise<Map<number, string>> {
    let starts = this.lowWatermarks.get(topic);
    if (!starts || refresh) {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      starts = new Map(offsets.map((entry) => [entry.partition, entry.low]));
      this.lowWatermarks.set(topic, starts);
    }
    return starts;
  }
}
