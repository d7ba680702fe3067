import type Redis from 'ioredis';
import { z } from 'zod';
import { RedisKeys } from '@workpipe/redis';
import { REPLAY_RETENTION_MS, redisCall } from './replay-ledger';
import {
  ReplayCountsSchema,
  ReplayedEntrySchema,
  ReplaySelectionSchema,
  ReplayStateSchema,
  type ReplayCounts,
  type ReplayedEntry,
  type ReplayRecord,
  type ReplayState,
} from './replay-record';

/** HSET + PEXPIRE only if the key does not exist, atomically. KEYS[1] the record, ARGV[1] the TTL, then field/value pairs. */
const CREATE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

const COUNT_FIELDS = Object.keys(ReplayCountsSchema.shape) as (keyof ReplayCounts)[];

/** The hash as stored: every field a string; counts one field each, readable with `redis-cli HGETALL`. */
const StoredRecordSchema = z.object({
  replayId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: ReplayStateSchema,
  runs: z.coerce.number().int().positive(),
  selection: z.string().transform((text, context) => {
    try {
      return ReplaySelectionSchema.parse(JSON.parse(text));
    } catch (error) {
      context.addIssue({ code: 'custom', message: `selection is not valid: ${(error as Error).message}` });
      return z.NEVER;
    }
  }),
  ...Object.fromEntries(COUNT_FIELDS.map((field) => [field, z.coerce.number().int().nonnegative().default(0)])),
});

/**
 * Replay records in Redis: `<prefix>replay:<id>` (a hash: created and updated
 * times, state, runs, the selection as JSON, and one field per count) and
 * `<prefix>replay:<id>:items` (a hash: one field per republished dead letter,
 * its position, holding `{ itemId, key, at }`). Both expire
 * {@link REPLAY_RETENTION_MS} after the last change, like the idempotency keys.
 */
export class ReplayRecordStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.keys = new RedisKeys(keyPrefix);
  }

  /** Creates the record, all fields at once; false (and nothing written) when the id is taken. */
  async create(record: ReplayRecord): Promise<boolean> {
    const fields = {
      replayId: record.replayId,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      state: record.state,
      runs: String(record.runs),
      selection: JSON.stringify(record.selection),
      ...countFields(record.counts),
    };
    const created = await redisCall('creating the replay record', () =>
      this.redis.eval(CREATE_IF_ABSENT, 1, this.recordKey(record.replayId), String(REPLAY_RETENTION_MS), ...Object.entries(fields).flat()),
    );
    return created === 1;
  }

  async get(replayId: string): Promise<ReplayRecord | undefined> {
    const fields = await redisCall('reading the replay record', () => this.redis.hgetall(this.recordKey(replayId)));
    if (Object.keys(fields).length === 0) return undefined;
    const stored = StoredRecordSchema.parse(fields) as z.infer<typeof StoredRecordSchema> & ReplayCounts;
    return {
      replayId: stored.replayId,
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
      state: stored.state,
      runs: stored.runs,
      selection: stored.selection,
      counts: Object.fromEntries(COUNT_FIELDS.map((field) => [field, stored[field]])) as ReplayCounts,
    };
  }

  /** Changes the state, counts or runs, and the update time. */
  async update(replayId: string, patch: { state?: ReplayState; counts?: ReplayCounts; runs?: number }, now: Date): Promise<void> {
    const key = this.recordKey(replayId);
    await redisCall('updating the replay record', () =>
      this.redis
        .multi()
        .hset(key, {
          updatedAt: now.toISOString(),
          ...(patch.state === undefined ? {} : { state: patch.state }),
          ...(patch.runs === undefined ? {} : { runs: String(patch.runs) }),
          ...(patch.counts === undefined ? {} : countFields(patch.counts)),
        })
        .pexpire(key, REPLAY_RETENTION_MS)
        .exec(),
    );
  }

  /** Lists republished dead letters under the replay. */
  async addItems(replayId: string, entries: readonly ReplayedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.itemsKey(replayId);
    await redisCall('recording replayed items', () =>
      this.redis
        .multi()
        .hset(key, Object.fromEntries(entries.map(({ position, ...entry }) => [position, JSON.stringify(entry)])))
        .pexpire(key, REPLAY_RETENTION_MS)
        .pexpire(this.recordKey(replayId), REPLAY_RETENTION_MS)
        .exec(),
    );
  }

  /** Every dead letter the replay republished. */
  async items(replayId: string): Promise<ReplayedEntry[]> {
    const fields = await redisCall('reading replayed items', () => this.redis.hgetall(this.itemsKey(replayId)));
    return Object.entries(fields).map(([position, json]) => ({ position, ...ReplayedEntrySchema.parse(JSON.parse(json)) }));
  }

  /** How many dead letters the replay republished. */
  itemCount(replayId: string): Promise<number> {
    return redisCall('counting replayed items', () => this.redis.hlen(this.itemsKey(replayId)));
  }

  /** Which of the positions this replay republished already (in an earlier run). */
  async republished(replayId: string, positions: readonly string[]): Promise<Set<string>> {
    if (positions.length === 0) return new Set();
    const values = await redisCall('reading replayed items', () => this.redis.hmget(this.itemsKey(replayId), ...positions));
    return new Set(positions.filter((_, index) => values[index] !== null));
  }

  recordKey(replayId: string): string {
    return this.keys.key('replay', replayId);
  }

  itemsKey(replayId: string): string {
    return this.keys.key('replay', replayId, 'items');
  }
}

function countFields(counts: ReplayCounts): Record<string, string> {
  return Object.fromEntries(COUNT_FIELDS.map((field) => [field, String(counts[field])]));
}
