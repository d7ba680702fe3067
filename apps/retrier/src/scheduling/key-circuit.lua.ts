/**
 * One failed attempt of a key, in one round trip: is the key isolated, and
 * does this failure isolate it?
 *
 * KEYS: 1 the key's failure count, 2 the key's isolation mark.
 * ARGV: 1 now (epoch ms), 2 window (ms), 3 failures that isolate,
 *       4 cool-down (ms), 5 '1' if this failure counts (spends an attempt).
 * Returns `{ isolatedUntil, openedNow }`: the epoch ms the key stays isolated
 * until (0 when it is not), and 1 when this failure opened the circuit.
 */
export const KEY_CIRCUIT_FAILURE_LUA = `
local isolatedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
local now = tonumber(ARGV[1])
if isolatedUntil > now then return { isolatedUntil, 0 } end
if ARGV[5] ~= '1' then return { 0, 0 } end
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if failures < tonumber(ARGV[3]) then return { 0, 0 } end
local opened = now + tonumber(ARGV[4])
redis.call('SET', KEYS[2], tostring(opened), 'PX', ARGV[4])
redis.call('DEL', KEYS[1])
return { opened, 1 }
`;
