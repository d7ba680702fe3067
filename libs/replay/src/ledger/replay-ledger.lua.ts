/**
 * The ledger's scripts. Every script builds its keys from the bases it is
 * given (standalone Redis, like the stats scripts). Per position the caller
 * passes `partition, offset, shard, bit, itemId` (shard and bit computed with
 * BigInt, see `ledgerSlot`). A pending entry is `<replayId>|<reservedAtMs>`.
 *
 * ARGV of each: 1 ledger base (`replay:_ledger:<topic>:`), 2 replay base
 * (`replay:`), 3 owner (the replay id), then as below.
 */

/** Lists `item` as pending under `owner` (once), before its publish: an outcome can never come for an item its replay does not know. */
const LIST_PENDING = `if redis.call('HSETNX', R .. owner .. ':items', item, 'p') == 1 then redis.call('ZADD', R .. owner .. ':pending', 0, item) end`;

/**
 * Reserve. ARGV 4 now ms, 5 stale-after ms, 6 the old ledger's base
 * (`replay:done:<topic>:`), then the positions. Per position, one of:
 * - `done`: settled (its bit is set, or the old ledger accepted it: then the bit is set too);
 * - `busy|<owner>`: another run is publishing it right now;
 * - `stale|<owner>|<reservedAtMs>`: a run reserved it and never settled it (it died, or its publish had an unknown end);
 * - `reserved`: now ours; the item is listed as pending under the owner (before it is published, so an
 *   outcome can never arrive for an item the replay does not know).
 */
export const RESERVE_LUA = `
local L, R, owner = ARGV[1], ARGV[2], ARGV[3]
local now, staleAfter, legacy = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local pendingKey = L .. 'pending'
local out = {}
for i = 7, #ARGV, 5 do
  local p, o, shard, bit, item = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 4]
  local bits = L .. p .. ':' .. shard
  local field = p .. ':' .. o
  if redis.call('GETBIT', bits, bit) == 1 then
    out[#out + 1] = 'done'
  elseif redis.call('GET', legacy .. p .. ':' .. o) == 'accepted' then
    redis.call('SETBIT', bits, bit, 1)
    out[#out + 1] = 'done'
  else
    local held = redis.call('HGET', pendingKey, field)
    if held then
      local sep = string.find(held, '|', 1, true)
      local at = tonumber(string.sub(held, sep + 1))
      if at + staleAfter > now then
        out[#out + 1] = 'busy|' .. string.sub(held, 1, sep - 1)
      else
        out[#out + 1] = 'stale|' .. held
      end
    else
      redis.call('HSET', pendingKey, field, owner .. '|' .. ARGV[4])
      ${LIST_PENDING}
      out[#out + 1] = 'reserved'
    end
  end
end
return out
`;

/**
 * Take over stale reservations. ARGV 4 now ms, then per position
 * `partition, offset, shard, bit, itemId, expected` (the stale entry as
 * reserve saw it). Compare-and-set: `reserved` when the entry was still
 * `expected` (the old owner's pending listing of the item moves to the new
 * owner), `changed` otherwise (look again).
 */
export const TAKE_OVER_LUA = `
local L, R, owner, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local pendingKey = L .. 'pending'
local out = {}
for i = 5, #ARGV, 6 do
  local p, o, item, expected = ARGV[i], ARGV[i + 1], ARGV[i + 4], ARGV[i + 5]
  local field = p .. ':' .. o
  if redis.call('HGET', pendingKey, field) ~= expected then
    out[#out + 1] = 'changed'
  else
    local previous = string.sub(expected, 1, string.find(expected, '|', 1, true) - 1)
    if previous ~= owner and redis.call('HGET', R .. previous .. ':items', item) == 'p' then
      redis.call('HDEL', R .. previous .. ':items', item)
      redis.call('ZREM', R .. previous .. ':pending', item)
    end
    redis.call('HSET', pendingKey, field, owner .. '|' .. now)
    ${LIST_PENDING}
    out[#out + 1] = 'reserved'
  end
end
return out
`;

/**
 * Confirm: the owner's items are in Kafka. Sets each bit, drops the owner's
 * pending entry and counts, in the owner's record (`republished`), each
 * position it held: a confirm repeated after a lost reply counts nothing twice.
 * Returns how many it counted.
 */
export const CONFIRM_LUA = `
local L, R, owner = ARGV[1], ARGV[2], ARGV[3]
local pendingKey = L .. 'pending'
local counted = 0
for i = 4, #ARGV, 5 do
  local p, o, shard, bit = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local field = p .. ':' .. o
  local held = redis.call('HGET', pendingKey, field)
  if held and string.sub(held, 1, #owner + 1) == owner .. '|' then
    redis.call('HDEL', pendingKey, field)
    counted = counted + 1
  end
  redis.call('SETBIT', L .. p .. ':' .. shard, bit, 1)
end
if counted > 0 then redis.call('HINCRBY', R .. owner, 'republished', counted) end
return counted
`;

/** Release: the owner's items definitely did not reach Kafka; free the positions and unlist the items. */
export const RELEASE_LUA = `
local L, R, owner = ARGV[1], ARGV[2], ARGV[3]
local pendingKey = L .. 'pending'
for i = 4, #ARGV, 5 do
  local p, o, item = ARGV[i], ARGV[i + 1], ARGV[i + 4]
  local field = p .. ':' .. o
  local held = redis.call('HGET', pendingKey, field)
  if held and string.sub(held, 1, #owner + 1) == owner .. '|' then
    redis.call('HDEL', pendingKey, field)
    if redis.call('HGET', R .. owner .. ':items', item) == 'p' then
      redis.call('HDEL', R .. owner .. ':items', item)
      redis.call('ZREM', R .. owner .. ':pending', item)
    end
  end
end
return 1
`;

/** Settled? ARGV 1 ledger base, 2 old ledger base, then `partition, offset, shard, bit` per position: 1 or 0 each. Read only. */
export const SETTLED_LUA = `
local L, legacy = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV, 4 do
  local p, o, shard, bit = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  if redis.call('GETBIT', L .. p .. ':' .. shard, bit) == 1 or redis.call('GET', legacy .. p .. ':' .. o) == 'accepted' then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
`;
