import type Redis from 'ioredis';
import { z } from 'zod';
import { SourcePositionSchema } from '@workpipe/contracts';
import { RedisKeys } from '@workpipe/redis';

/** Events kept per item: the latest 200 (attempts, dead letters, successes after a failure, replays). */
export const ITEM_HISTORY_LIMIT = 200;
/** Characters of a failure message or detail kept in the history. */
const MAX_TEXT = 500;

const FailureEntry = z.object({ t: z.string(), m: z.string(), c: z.string().optional(), re: z.boolean().optional() });

/** One event of an item's history, as stored (short keys: there is one per attempt). */
export const HistoryEntrySchema = z.discriminatedUnion('k', [
  /** A failed attempt. */
  z.object({ k: z.literal('a'), n: z.number(), r: z.string().optional(), at: z.string(), f: FailureEntry, s: SourcePositionSchema.optional(), d: z.number().optional() }),
  /** A dead letter, where it is. */
  z.object({ k: z.literal('d'), pos: SourcePositionSchema, r: z.string().optional(), at: z.string(), why: z.string(), det: z.string(), ft: z.string() }),
  /** A success of an item that had failed or was replayed. */
  z.object({ k: z.literal('s'), n: z.number(), r: z.string().optional(), at: z.string() }),
  /** A replay republished the item from a dead letter. */
  z.object({ k: z.literal('r'), r: z.string(), at: z.string(), s: SourcePositionSchema }),
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/**
 * The bounded history of each item (`<prefix>ops:item:{id}:history`, a sorted
 * set scored by the event's time, member the entry's JSON): written by the
 * operations consumer and the replay runner, read by `GET /v1/items/:id`. An
 * event delivered twice is the same member, so it is kept once. Kept as long
 * as the item's stats (no expiry), at most {@link ITEM_HISTORY_LIMIT} entries.
 */
export class ItemHistory {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    redisPrefix: string,
  ) {
    this.keys = new RedisKeys(`${redisPrefix}ops:`);
  }

  key(itemId: string): string {
    return this.keys.key('item', `{${itemId}}`, 'history');
  }

  /** Adds entries (one pipeline), trimming each item touched to the limit. */
  async add(entries: readonly { itemId: string; atMs: number; entry: HistoryEntry }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    const touched = new Set<string>();
    for (const { itemId, atMs, entry } of entries) {
      pipeline.zadd(this.key(itemId), atMs, JSON.stringify(entry));
      touched.add(itemId);
    }
    for (const itemId of touched) pipeline.zremrangebyrank(this.key(itemId), 0, -(ITEM_HISTORY_LIMIT + 1));
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** The item's entries, oldest first (entries that do not parse are skipped). */
  async entries(itemId: string): Promise<HistoryEntry[]> {
    const members = await this.redis.zrange(this.key(itemId), 0, -1);
    const entries: HistoryEntry[] = [];
    for (const member of members) {
      const parsed = HistoryEntrySchema.safeParse(JSON.parse(member));
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }
}

/** Text cut to what the history keeps. */
export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 3)}...` : text;
}
