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
    if (!(RESERVE in redis)) redis.defineCommand(RESERVE, { lua: RESERVE_LUA });
    if (!(CONFIRM in redis)) redis.defineCommand(CONFIRM, { lua: CONFIRM_LUA });
  }

  /** Reserves each id (one script for all of them); returns the ones that were free and, for the others, why not. */
  async reserve(itemIds: readonly string[]): Promise<{ reserved: string[]; taken: Map<string, TakenReason> }> {
    const reserved: string[] = [];
    const taken = new Map<string, TakenReason>();
    if (itemIds.length === 0) return { reserved, taken };
    const keys = itemIds.map((itemId) => this.key(itemId));
    const previous = await (this.redis as unknown as Scripts)[RESERVE](keys.length, ...keys, String(this.settings.pendingTtlMs));
    previous.forEach((value, index) => {
      const itemId = itemIds[index] as string;
      if (value === false || value === null) reserved.push(itemId);
      else taken.set(itemId, value === ACCEPTED ? 'ALREADY_ACCEPTED' : 'IN_FLIGHT');
    });
    return { reserved, taken };
  }

  /** The work is durably done (in Kafka): remember the ids for the window (one script for all of them). */
  async confirm(itemIds: readonly string[]): Promise<void> {
    if (itemIds.length === 0) return;
    const keys = itemIds.map((itemId) => this.key(itemId));
    await (this.redis as unknown as Scripts)[CONFIRM](keys.length, ...keys, String(this.settings.acceptedTtlMs));
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

const RESERVE = 'workpipeIdempotencyReserve';
const CONFIRM = 'workpipeIdempotencyConfirm';
type Scripts = {
  [RESERVE](numberOfKeys: number, ...args: string[]): Promise<(string | false | null)[]>;
  [CONFIRM](numberOfKeys: number, ...args: string[]): Promise<number>;
};

/** SET NX GET for every key at once: each key's previous value (false when it was free and is now reserved). */
const RESERVE_LUA = `
local previous = {}
for i, key in ipairs(KEYS) do
  previous[i] = redis.call('SET', key, '${PENDING}', 'PX', ARGV[1], 'NX', 'GET')
end
return previous
`;

/** SET with the long TTL for every key at once. */
const CONFIRM_LUA = `
for _, key in ipairs(KEYS) do
  redis.call('SET', key, '${ACCEPTED}', 'PX', ARGV[1])
end
return #KEYS
`;
