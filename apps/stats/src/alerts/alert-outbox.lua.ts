/**
 * Settles an outbox entry this consumer holds, in one atomic step: appends its successor (the
 * same alert at its next stage, e.g. waiting for a webhook retry), acknowledges and deletes it,
 * and records where its webhook delivery stands. Nothing happens unless the entry is still
 * pending for this consumer: an instance that stalled past the claim time, and whose entry
 * another instance took over, cannot settle it a second time.
 *
 * The delivery record replaces the rule's stored one unless that one is of another, later event
 * (its `occurredAt` greater), so a late retry of a raise never hides its clear's delivery.
 *
 * KEYS: 1 the outbox stream, 2 the alerts hash.
 * ARGV: 1 group, 2 consumer, 3 entry id, 4 outbox max length (approximate),
 * 5 record field ('' for none), 6 record JSON, 7 the record's alertId, 8 its occurredAt,
 * 9.. the successor's field/value pairs (none: no successor).
 * Returns 1 when settled, 0 when the entry is not this consumer's (any more).
 */
export const OUTBOX_SETTLE_LUA = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #pending == 0 or pending[1][2] ~= ARGV[2] then return 0 end
if #ARGV > 8 then
  local add = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*'}
  for i = 9, #ARGV do add[#add + 1] = ARGV[i] end
  redis.call(unpack(add))
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
if ARGV[5] ~= '' then
  local stored = redis.call('HGET', KEYS[2], ARGV[5])
  local replace = true
  if stored then
    local ok, old = pcall(cjson.decode, stored)
    if ok and type(old) == 'table' and old.alertId ~= ARGV[7] and type(old.occurredAt) == 'string' and old.occurredAt > ARGV[8] then
      replace = false
    end
  end
  if replace then redis.call('HSET', KEYS[2], ARGV[5], ARGV[6]) end
end
return 1
`;

/**
 * Resets the idle time of the entries this consumer holds (waiting for a retry, or being
 * POSTed), so no other instance claims them as abandoned; skips, and leaves out of its answer,
 * those that are not this consumer's any more. The delivery count is left as it is (JUSTID).
 *
 * KEYS: 1 the outbox stream. ARGV: 1 group, 2 consumer, 3.. entry ids.
 * Returns the ids still this consumer's.
 */
export const OUTBOX_REFRESH_LUA = `
local mine = {}
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if #pending > 0 and pending[1][2] == ARGV[2] then mine[#mine + 1] = ARGV[i] end
end
if #mine > 0 then
  local claim = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0'}
  for _, id in ipairs(mine) do claim[#claim + 1] = id end
  claim[#claim + 1] = 'JUSTID'
  redis.call(unpack(claim))
end
return mine
`;
