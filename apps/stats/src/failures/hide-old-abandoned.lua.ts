/**
 * Hides abandoned items whose first failure is older than a cutoff from the
 * failures view (`/v1/failures`, `failure-stats`): removes them from the
 * `fail:*` sorted sets of the overall and the batch scope (those of its type and its
 * reason included, see `failureIndexName`). Counters are facts
 * and stay; nothing is deleted from Kafka, and a rebuild from the topics shows
 * them again. A later event of the item (a replay) re-adds it as usual.
 *
 * ARGV[1] stats key prefix (`<prefix>stats:`), ARGV[2] cutoff (epoch ms, exclusive), ARGV[3] most items per call.
 * Returns the number of items hidden.
 */
export const HIDE_OLD_ABANDONED_LUA = `
local P = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', P .. 'all:z:fail:abandoned', '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  local fields = redis.call('HMGET', P .. 'item:{' .. id .. '}', 'b', 'at', 'ar')
  local batch, abandonType, reason = fields[1], fields[2] or 'UNKNOWN', fields[3]
  local scopes = { P .. 'all' }
  if batch and batch ~= '' then scopes[2] = P .. 'batch:{' .. batch .. '}' end
  for _, base in ipairs(scopes) do
    redis.call('ZREM', base .. ':z:fail:all', id)
    redis.call('ZREM', base .. ':z:fail:all:' .. abandonType, id)
    redis.call('ZREM', base .. ':z:fail:abandoned', id)
    redis.call('ZREM', base .. ':z:fail:abandoned:' .. abandonType, id)
    if reason then
      redis.call('ZREM', base .. ':z:fail:abandoned:reason:' .. reason, id)
      redis.call('ZREM', base .. ':z:fail:abandoned:reason:' .. reason .. ':' .. abandonType, id)
    end
  end
end
return #ids
`;
