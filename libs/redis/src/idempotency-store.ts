import type Redis from 'ioredis';
import { RedisKeys } from './redis-keys';

/** Why an id could not be reserved: done before, or being done right now by someone else. */
export type TakenReason = 'ALREADY_ACCEPTED' | 'IN_FLIGHT';

export interface IdempotencySettings {
  /** Key namespace under the prefix, e.g. `ingest:dedup`. */
  namespace: string;
  /** How long a confirmed id is remembered, in milliseconds. */
  acceptedTtlMs: number;
  /** How long a reservation lives while its item is being published, in milliseconds; longer than a publish may take. */
  pendingTtlMs: number;
}

const PENDING = 'pending';
const ACCEPTED = 'accepted';

/**
 * Idempotency keys in Redis, in two phases so a crash between reserving and
 * publishing cannot make an id look done when its events never reached Kafka:
 * `reserve` (SET NX, short TTL) -> publish -> `confirm` (long TTL), or `release`.
 * Used for submitted item ids and for replayed dead letters.
 */
export class IdempotencyStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly settings: IdempotencySettings,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  /** Reserves each id; returns the ones that were free and, for the others, why not. */
  async reserve(itemIds: readonly string[]): Promise<{ reserved: string[]; taken: Map<string, TakenReason> }> {
    const reserved: string[] = [];
    const taken = new Map<string, TakenReason>();
    if (itemIds.length === 0) return { reserved, taken };
    const pipeline = this.redis.pipeline();
    for (const itemId of itemIds) {
      pipeline.set(this.key(itemId), PENDING, 'PX', this.settings.pendingTtlMs, 'NX', 'GET');
    }
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, previous], index) => {
      const itemId = itemIds[index] as string;
      if (error) throw error;
      if (previous === null) reserved.push(itemId);
      else taken.set(itemId, previous === ACCEPTED ? 'ALREADY_ACCEPTED' : 'IN_FLIGHT');
    });
    return { reserved, taken };
  }

  /** The work is durably done (in Kafka): remember the ids for the window. */
  async confirm(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const itemId of itemIds) pipeline.set(this.key(itemId), ACCEPTED, 'PX', this.settings.acceptedTtlMs);
    await pipeline.exec();
  }

  /** The work definitely did not happen: free the ids for a retry. */
  async release(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    await this.redis.del(...itemIds.map((itemId) => this.key(itemId)));
  }

  private key(itemId: string): string {
    return this.keys.key(this.settings.namespace, itemId);
  }
}
