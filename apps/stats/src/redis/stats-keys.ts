import { RedisKeys } from '@workpipe/redis';

/**
 * Every Redis key of the stats service, under `<REDIS_KEY_PREFIX>stats:`.
 * Ids go between braces (`{id}`): ids may hold `:` but never braces, so one
 * batch's keys can never collide with another's, and a Redis Cluster would keep
 * an item's or a batch's keys in one slot.
 *
 * | key                                 | type   | holds                                                        |
 * |-------------------------------------|--------|--------------------------------------------------------------|
 * | `stats:offsets`                     | hash   | `<topic>:<partition>` -> last offset applied                 |
 * | `stats:layout`                      | string | version of this layout (see `stats-layout.ts`)               |
 * | `stats:item:{id}`                   | hash   | the item's state (see `apply-fact.lua.ts`)                   |
 * | `stats:item:{id}:facts`             | hash   | fact ids applied (dedup) and epochs seen -> offset           |
 * | `stats:all:counters` / `stats:batch:{id}:counters` | hash | the scope's counters             |
 * | `...:series`                        | hash   | `<epoch minute>:<metric>` -> count                           |
 * | `...:z:<name>`                      | zset   | tts, retry_wait, pending, fail:* (see `contributionsOf`)     |
 * | `stats:batches`                     | zset   | batch id -> earliest createdAt                               |
 * | `stats:alerts`                      | hash   | rule -> JSON alert state; `webhook:<rule>` -> its latest delivery |
 * | `stats:alerts:outbox`               | stream | alert events waiting to be published, then for their webhook POST |
 * | `stats:updates` (pub/sub channel)   |        | a batch id whose numbers changed                             |
 */
export class StatsKeys {
  private readonly keys: RedisKeys;
  /** `<prefix>stats:`, what the Lua scripts build their keys from. */
  readonly base: string;

  constructor(redisPrefix: string) {
    this.keys = new RedisKeys(`${redisPrefix}stats:`);
    this.base = this.keys.prefix;
  }

  offsets(): string {
    return this.keys.key('offsets');
  }

  layout(): string {
    return this.keys.key('layout');
  }

  item(itemId: string): string {
    return this.keys.key('item', `{${itemId}}`);
  }

  /** Base of a scope's keys: `stats:all` or `stats:batch:{id}`. */
  scope(batchId?: string): string {
    return batchId === undefined ? this.keys.key('all') : this.keys.key('batch', `{${batchId}}`);
  }

  counters(batchId?: string): string {
    return `${this.scope(batchId)}:counters`;
  }

  series(batchId?: string): string {
    return `${this.scope(batchId)}:series`;
  }

  zset(name: string, batchId?: string): string {
    return `${this.scope(batchId)}:z:${name}`;
  }

  batches(): string {
    return this.keys.key('batches');
  }

  alerts(): string {
    return this.keys.key('alerts');
  }

  alertOutbox(): string {
    return this.keys.key('alerts', 'outbox');
  }

  updatesChannel(): string {
    return this.keys.key('updates');
  }
}
