/**
 * Moves one rule's alert state, only if nobody moved it since it was read
 * (compare-and-set on `version`), and queues the alert event in the outbox
 * stream in the same atomic step: several instances evaluating the same rule
 * raise it once, and a raise is never recorded without its event.
 *
 * KEYS: 1 the alerts hash, 2 the outbox stream.
 * ARGV: 1 rule, 2 the version read, 3 the new state JSON (its version = read + 1),
 * 4 the alert event JSON or '', 5 outbox max length (approximate).
 * Returns 1 when applied, 0 when the state had moved.
 */
export const ALERT_TRANSITION_LUA = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local version = 0
if current then version = cjson.decode(current).version or 0 end
if string.format('%d', version) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'alert', ARGV[4])
end
return 1
`;
