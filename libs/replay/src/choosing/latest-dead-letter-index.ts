import type Redis from 'ioredis';
import { latestRank, type DeadLetter } from '../selection/dead-letter';
import type { LatestDeadLetter } from './retry-candidates';

/**
 * Keeps the value with the higher rank per field. ARGV: 1 the hash, 2 a TTL
 * in milliseconds (0: none), then (item id, rank, value) triples; a value
 * starts with its rank (fixed width, so comparing text compares dead letters).
 */
const OFFER_LUA = `
local key = ARGV[1]
for i = 3, #ARGV, 3 do
  local item, rank, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local current = redis.call('HGET', key, item)
  if not current or string.sub(current, 1, #rank) < rank then redis.call('HSET', key, item, value) end
end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', key, ARGV[2]) end
return 1
`;

const OFFER = 'workpipeReplayOfferLatest';
type WithOffer = { [OFFER](...args: string[]): Promise<number> };

/** Entries read per HSCAN round trip. */
const SCAN_COUNT = 1000;

/**
 * The latest selected dead letter of each item, in Redis (a hash: item id ->
 * `<rank>|<partition>|<offset>|<reason>|<last failure type>`), so a selection
 * of a million dead letters is de-duplicated in bounded memory. Built by a
 * first pass over the selection; the second pass replays a dead letter only
 * when it is its item's entry here (the others are superseded).
 */
export class LatestDeadLetterIndex {
  constructor(
    private readonly redis: Redis,
    /** The hash, e.g. `replay:<id>:latest`. */
    readonly key: string,
    /** Expiry set on every offer, in milliseconds (a scratch index); 0: none (the replay's record keeps its keys). */
    private readonly ttlMs = 0,
  ) {
    if (!(OFFER in redis)) redis.defineCommand(OFFER, { numberOfKeys: 0, lua: OFFER_LUA });
  }

  /** Offers dead letters (one script run); each replaces its item's entry when it is later. */
  async offer(deadLetters: readonly DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const args: string[] = [this.key, String(this.ttlMs)];
    for (const { position, value } of deadLetters) {
      const rank = latestRank(Date.parse(value.abandonedAt), position.partition, position.offset);
      args.push(value.item.itemId, rank, [rank, position.partition, position.offset, value.reason, value.lastFailure.type].join('|'));
    }
    await (this.redis as unknown as WithOffer)[OFFER](...args);
  }

  /** Whether each dead letter is its item's latest. */
  async isLatest(deadLetters: readonly DeadLetter[]): Promise<boolean[]> {
    if (deadLetters.length === 0) return [];
    const values = await this.redis.hmget(this.key, ...deadLetters.map((deadLetter) => deadLetter.value.item.itemId));
    return deadLetters.map(({ position }, index) => {
      const entry = values[index];
      if (!entry) return false;
      const parsed = parseEntry('', entry);
      return parsed.partition === position.partition && parsed.offset === position.offset;
    });
  }

  /** Items indexed. */
  size(): Promise<number> {
    return this.redis.hlen(this.key);
  }

  /** Every entry, a page at a time (HSCAN: bounded memory; the hash is not written meanwhile, so no entry comes twice). */
  async *entries(): AsyncGenerator<LatestDeadLetter[]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.key, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      const page: LatestDeadLetter[] = [];
      for (let i = 0; i < flat.length; i += 2) page.push(parseEntry(flat[i] as string, flat[i + 1] as string));
      if (page.length > 0) yield page;
    } while (cursor !== '0');
  }

  async delete(): Promise<void> {
    await this.redis.del(this.key);
  }
}

function parseEntry(itemId: string, entry: string): LatestDeadLetter {
  const [rank = '', partition = '0', offset = '0', reason = '', lastFailureType = ''] = entry.split('|');
  return { itemId, partition: Number(partition), offset, abandonedAtMs: Number(rank.slice(0, 16)), reason, lastFailureType };
}
