import type Redis from 'ioredis';
import { z } from 'zod';
import type { OperationsApi } from '@workpipe/contracts';
import type { ReplayKeys } from '../records/replay-keys';
import { outcomeCounts } from './item-outcome';

/**
 * Applies outcome events (the Redis twin of `nextOutcome`). ARGV: 1 the
 * replay base (`replay:`), then (replay id, item id, `s` or `a`, failure JSON
 * or '') per event. Only items the replay listed (at reservation, before
 * their publish) are counted; the record's `recovered` and `failedAgain` move
 * with each change, so repeated events change nothing. Returns how many changed.
 */
const APPLY_LUA = `
local R = ARGV[1]
local changed = 0
for i = 2, #ARGV, 4 do
  local id, item, kind, failure = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local base = R .. id
  local before = redis.call('HGET', base .. ':items', item)
  if before and before ~= 'r' then
    if kind == 's' then
      redis.call('HSET', base .. ':items', item, 'r')
      redis.call('ZREM', base .. ':pending', item)
      redis.call('HINCRBY', base, 'recovered', 1)
      if before == 'f' then
        redis.call('ZREM', base .. ':failing', item)
        redis.call('HDEL', base .. ':failures', item)
        redis.call('HINCRBY', base, 'failedAgain', -1)
      end
      changed = changed + 1
    elseif before == 'p' then
      redis.call('HSET', base .. ':items', item, 'f')
      redis.call('ZREM', base .. ':pending', item)
      redis.call('ZADD', base .. ':failing', 0, item)
      redis.call('HSET', base .. ':failures', item, failure)
      redis.call('HINCRBY', base, 'failedAgain', 1)
      changed = changed + 1
    end
  end
end
return changed
`;

const APPLY = 'workpipeReplayApplyOutcomes';
type WithApply = { [APPLY](...args: string[]): Promise<number> };

/** One outcome event of a replayed item. */
export interface ReplayOutcomeEvent {
  replayId: string;
  itemId: string;
  kind: 'succeeded' | 'abandoned';
  /** The last failure of an abandonment. */
  failure?: { type: string; message: string; reason: string };
}

const FailureSchema = z.object({ type: z.string(), message: z.string(), reason: z.string() });

/**
 * What became of each item a replay republished: `replay:<id>:items` (item id
 * -> p, r, f), the pending and failing item ids in lexical order (so the
 * first N are one range read), the failures, and the counters in the record.
 * Written by the stats service's operations consumer from the succeeded and
 * abandoned topics; read by the API.
 */
export class ReplayOutcomeStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ReplayKeys,
  ) {
    if (!(APPLY in redis)) redis.defineCommand(APPLY, { numberOfKeys: 0, lua: APPLY_LUA });
  }

  /** Applies events in one script run; resolves with how many changed an item's outcome. */
  async apply(events: readonly ReplayOutcomeEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const args: string[] = [this.keys.base];
    for (const event of events) {
      args.push(event.replayId, event.itemId, event.kind === 'succeeded' ? 's' : 'a', event.failure ? JSON.stringify(event.failure) : '');
    }
    return (this.redis as unknown as WithApply)[APPLY](...args);
  }

  /** The outcome of a replay: counts from the record, and the first `list` failing and pending items by id. */
  async read(replayId: string, counters: { published: number; recovered: number; failedAgain: number }, list: number): Promise<OperationsApi.ReplayOutcome> {
    const counts = outcomeCounts(counters.published, counters.recovered, counters.failedAgain);
    if (list === 0) return { ...counts, failing: [], waiting: [] };
    const [failingIds, waiting] = await Promise.all([
      this.redis.zrange(this.keys.of(replayId, 'failing'), 0, list - 1),
      this.redis.zrange(this.keys.of(replayId, 'pending'), 0, list - 1),
    ]);
    const failures = failingIds.length > 0 ? await this.redis.hmget(this.keys.of(replayId, 'failures'), ...failingIds) : [];
    const failing = failingIds.map((itemId, index) => {
      const parsed = FailureSchema.safeParse(JSON.parse(failures[index] ?? 'null'));
      return { itemId, ...(parsed.success ? parsed.data : { type: 'UNKNOWN', message: '', reason: '' }) };
    });
    return { ...counts, failing, waiting };
  }

  /** The outcome of each item under the replay, for an item's history (undefined: the replay does not list it). */
  async itemOutcome(replayId: string, itemId: string): Promise<'pending' | 'recovered' | 'failed-again' | undefined> {
    const state = await this.redis.hget(this.keys.of(replayId, 'items'), itemId);
    return state === 'r' ? 'recovered' : state === 'f' ? 'failed-again' : state === 'p' ? 'pending' : undefined;
  }

  /** Which of the items this replay lists (republished, or being republished, in any of its runs). */
  async listed(replayId: string, itemIds: readonly string[]): Promise<boolean[]> {
    if (itemIds.length === 0) return [];
    const values = await this.redis.hmget(this.keys.of(replayId, 'items'), ...itemIds);
    return values.map((value) => value !== null);
  }
}
