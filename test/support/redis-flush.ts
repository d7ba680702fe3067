import type Redis from 'ioredis';

/** Deletes every key matching ARGV[1] in one script run: SCAN inside the script sees a Redis nobody writes to meanwhile. */
const FLUSH_PREFIX_LUA = `
local cursor = '0'
local deleted = 0
repeat
  local reply = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
  cursor = reply[1]
  for _, key in ipairs(reply[2]) do
    redis.call('UNLINK', key)
    deleted = deleted + 1
  end
until cursor == '0'
return deleted
`;

/** Redis MATCH is a glob: a prefix with `*`, `?` or `[` must not widen the match. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Deletes every key under `prefix` atomically, as FLUSHALL would for a Redis
 * holding only these keys: a service writing meanwhile sees all of them gone
 * at once, never half of them (a SCAN + DEL from outside races with its writes
 * and leaves a mix no real outage produces). The Redis is shared, so never
 * FLUSHALL itself. Returns how many keys were deleted.
 */
export async function flushKeysUnder(redis: Redis, prefix: string): Promise<number> {
  if (prefix.length === 0) throw new Error('refusing to flush Redis without a key prefix');
  return (await redis.eval(FLUSH_PREFIX_LUA, 0, `${escapeGlob(prefix)}*`)) as number;
}
