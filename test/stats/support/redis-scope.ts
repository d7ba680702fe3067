import type Redis from 'ioredis';
import { nonZero, type ScopeTotals } from '@workpipe/stats-model';
import { escapeGlob, flushKeysUnder } from '../../support/redis-flush';

/**
 * Reads one scope's raw numbers straight from Redis, in the shape of
 * `StatsLedger.totals`, for comparing the Lua materialization with the model.
 */
export async function readScopeTotals(redis: Redis, scopeBase: string): Promise<ScopeTotals> {
  const counters = await readHash(redis, `${scopeBase}:counters`);
  const series = await readHash(redis, `${scopeBase}:series`);
  const zsets: ScopeTotals['zsets'] = {};
  const zsetPrefix = `${scopeBase}:z:`;
  for (const key of await scanKeys(redis, `${escapeGlob(zsetPrefix)}*`)) {
    const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
    const members = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) members.set(flat[i] as string, Number(flat[i + 1]));
    if (members.size > 0) zsets[key.slice(zsetPrefix.length)] = members;
  }
  return { counters, series, zsets };
}

/** The model's totals without what Redis cannot hold (zero fields, empty sorted sets). */
export function comparable(totals: ScopeTotals): ScopeTotals {
  return {
    counters: nonZero(totals.counters),
    series: nonZero(totals.series),
    zsets: Object.fromEntries(Object.entries(totals.zsets).filter(([, members]) => members.size > 0)),
  };
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** Deletes every key under a prefix (this test's only: never FLUSHALL a shared Redis). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  return flushKeysUnder(redis, prefix);
}

async function readHash(redis: Redis, key: string): Promise<Record<string, number>> {
  const raw = await redis.hgetall(key);
  return nonZero(Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)])));
}

