import { RedisKeys } from '@workpipe/redis';

/**
 * Every Redis key of replays, under `<REDIS_KEY_PREFIX>replay:`. A replay id
 * never holds `:` and never starts with `_`, so `replay:<id>...` and the
 * shared `replay:_...` keys cannot collide.
 *
 * | key                                     | type   | holds                                                         | kept            |
 * |-----------------------------------------|--------|---------------------------------------------------------------|-----------------|
 * | `replay:<id>`                           | hash   | the record: state, phase, runs, selection, counts (see store)  | 30 days idle    |
 * | `replay:<id>:requests`                  | list   | the replay's request events, oldest first                     | with the record |
 * | `replay:<id>:latest`                    | hash   | item id -> its latest selected dead letter (rank, position...) | with the record |
 * | `replay:<id>:chosen`                    | zset   | retry-failures: the chosen positions, score abandonedAt        | with the record |
 * | `replay:<id>:items`                     | hash   | item id -> `p` pending, `r` recovered, `f` failed again       | with the record |
 * | `replay:<id>:pending` / `:failing`      | zset   | item ids by state, lexical order (for the first N)            | with the record |
 * | `replay:<id>:failures`                  | hash   | item id -> its last failure (JSON)                            | with the record |
 * | `replay:<id>:lease`                     | string | the instance running it now                                   | 30 s, renewed   |
 * | `replay:_index`                         | zset   | replay id -> createdAt ms                                     | trimmed with records |
 * | `replay:_requests`                      | list   | the latest request events of every replay, dry runs included  | capped          |
 * | `replay:_ledger:<topic>:<p>:<shard>`    | bitmap | bit (offset & 2^20-1) set: the dead letter was replayed        | forever         |
 * | `replay:_ledger:<topic>:pending`        | hash   | `<p>:<offset>` -> `<replayId>\|<reservedAtMs>` while publishing | until settled   |
 * | `replay:done:<topic>:<p>:<offset>`      | string | the ledger of CLI-run replays before this one (read only)     | their 30 days   |
 * | `replay:_scratch:<uuid>:latest`         | hash   | a dry run's latest-per-item index                              | 1 h, deleted    |
 */
export class ReplayKeys {
  private readonly keys: RedisKeys;
  /** `<prefix>replay:`. */
  readonly base: string;

  constructor(redisPrefix: string) {
    this.keys = new RedisKeys(`${redisPrefix}replay:`);
    this.base = this.keys.prefix;
  }

  record(replayId: string): string {
    return this.keys.key(replayId);
  }

  /** A key of one replay: `replay:<id>:<part>`. */
  of(replayId: string, part: 'requests' | 'latest' | 'chosen' | 'items' | 'pending' | 'failing' | 'failures' | 'lease'): string {
    return this.keys.key(replayId, part);
  }

  index(): string {
    return this.keys.key('_index');
  }

  recentRequests(): string {
    return this.keys.key('_requests');
  }

  /** `replay:_ledger:<topic>:` (the Lua scripts add `<p>:<shard>` or `pending`). */
  ledgerBase(topic: string): string {
    return `${this.keys.key('_ledger', topic)}:`;
  }

  /** `replay:done:` (the earlier CLI's idempotency keys). */
  legacyDoneBase(): string {
    return `${this.keys.key('done')}:`;
  }

  scratch(id: string): string {
    return this.keys.key('_scratch', id, 'latest');
  }
}
