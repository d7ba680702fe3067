import type Redis from 'ioredis';
import type { DuplicateReason } from '@workpipe/contracts';
import { RedisKeys } from '@workpipe/redis';

export interface DedupSettings {
  /** How long an accepted item id is remembered as a duplicate, in milliseconds (DEDUP_TTL_HOURS). */
  acceptedTtlMs: number;
  /** How long a reservation lives while its item is being published, in milliseconds; longer than a publish may take. */
  pendingTtlMs: number;
}

const PENDING = 'pending';
const ACCEPTED = 'accepted';

/**
 * Idempotency keys in Redis, in two phases so a crash between reserving and
 * publishing cannot make an item look accepted when it never reached Kafka:
 * `reserve` (SET NX, short TTL) -> publish -> `confirm` (long TTL), or `release`.
 */
export class DedupStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly settings: DedupSettings,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  /** Reserves each id; returns the ones that were free and, for the others, why not. */
  async reserve(itemIds: readonly string[]): Promise<{ reserved: string[]; taken: Map<string, DuplicateReason> }> {
    const reserved: string[] = [];
    const taken = new Map<string, DuplicateReason>();
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

  /** The items are in Kafka: remember them as accepted for the dedup window. */
  async confirm(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const itemId of itemIds) pipeline.set(this.key(itemId), ACCEPTED, 'PX', this.settings.acceptedTtlMs);
    await pipeline.exec();
  }

  /** The items definitely did not reach Kafka: free their ids for a retry. */
  async release(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    await this.redis.del(...itemIds.map((itemId) => this.key(itemId)));
  }

  private key(itemId: string): string {
    return this.keys.key('ingest', 'dedup', itemId);
  }
}
