/**
 * Reads one scope in a single atomic step, so the numbers of an answer are
 * always from the same instant: the counters, count and nearest-rank p50/p95/p99
 * of the time-to-success and retry-wait sorted sets (`nearestRankIndex` in
 * `@workpipe/stats-model`, same formula), and the oldest pending item, oldest
 * retryable failure and oldest failure.
 *
 * ARGV: 1 scope base (`<prefix>stats:all` or `<prefix>stats:batch:{id}`).
 * Returns { counters (flat field/value list), tts {n, p50, p95, p99},
 * retry_wait {n, p50, p95, p99}, oldest pending score, oldest retryable failure score,
 * oldest failure score (retryable or abandoned) }
 * (scores as strings, '' when absent).
 */
export const READ_SCOPE_LUA = `
local base = ARGV[1]
local counters = redis.call('HGETALL', base .. ':counters')

local function summary(key)
  local n = redis.call('ZCARD', key)
  local out = { n }
  for _, p in ipairs({ 50, 95, 99 }) do
    if n == 0 then
      out[#out + 1] = ''
    else
      local index = math.ceil(p * n / 100) - 1
      if index < 0 then index = 0 end
      out[#out + 1] = redis.call('ZRANGE', key, index, index, 'WITHSCORES')[2]
    end
  end
  return out
end

local function lowest(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then return '' end
  return first[2]
end

return {
  counters,
  summary(base .. ':z:tts'),
  summary(base .. ':z:retry_wait'),
  lowest(base .. ':z:pending'),
  lowest(base .. ':z:fail:retryable'),
  lowest(base .. ':z:fail:all'),
}
`;
