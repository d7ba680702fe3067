import type Redis from 'ioredis';
import { IdempotencyStore, RedisKeys, type TakenReason } from '@workpipe/redis';
import { BackendUnavailableError } from './errors/backend-unavailable-error';

/** Key namespace of replayed dead letters: `<prefix>replay:done:<topic>:<partition>:<offset>`. */
export const REPLAY_DONE_NAMESPACE = 'replay:done';

/** How long a replayed dead letter (and a replay record) is remembered: 30 days, in milliseconds. */
export const REPLAY_RETENTION_MS = 30 * 86_400_000;

/** How long a reservation lives while its item is being republished: 2 min, well past a publish timeout. */
export const REPLAY_PENDING_TTL_MS = 120_000;

/**
 * Which dead letters were replayed, by any replay: the two-phase
 * {@link IdempotencyStore} keyed by the dead letter's position. A dead letter
 * is reserved before its item is republished and confirmed once Kafka has it,
 * so running the same replay twice, or two replays at once, republishes each
 * dead letter once.
 */
export class ReplayLedger {
  private readonly store: IdempotencyStore;
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.store = new IdempotencyStore(redis, keyPrefix, {
      namespace: REPLAY_DONE_NAMESPACE,
      acceptedTtlMs: REPLAY_RETENTION_MS,
      pendingTtlMs: REPLAY_PENDING_TTL_MS,
    });
    this.keys = new RedisKeys(keyPrefix);
  }

  /** Reserves the positions; the others are replayed already (`ALREADY_ACCEPTED`) or being replayed (`IN_FLIGHT`). */
  reserve(positions: readonly string[]): Promise<{ reserved: string[]; taken: Map<string, TakenReason> }> {
    return redisCall('reserving dead letters', () => this.store.reserve(positions));
  }

  /** The items are in Kafka: remember the positions for {@link REPLAY_RETENTION_MS}. */
  confirm(positions: readonly string[]): Promise<void> {
    return redisCall('confirming replayed dead letters', () => this.store.confirm(positions));
  }

  /** The items definitely did not reach Kafka: free the positions. */
  release(positions: readonly string[]): Promise<void> {
    return redisCall('releasing dead letters', () => this.store.release(positions));
  }

  /** The positions that are replayed already or being replayed (read-only: for `--dry-run` and `retry-failures`). */
  async replayed(positions: readonly string[]): Promise<Set<string>> {
    if (positions.length === 0) return new Set();
    const values = await redisCall('reading replayed dead letters', () =>
      this.redis.mget(...positions.map((position) => this.keys.key(REPLAY_DONE_NAMESPACE, position))),
    );
    return new Set(positions.filter((_, index) => values[index] !== null));
  }
}

/** Runs a Redis call, turning a connection failure into {@link BackendUnavailableError}. */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new BackendUnavailableError('Redis', `${what} failed: ${(error as Error).message}`, { cause: error });
  }
}
