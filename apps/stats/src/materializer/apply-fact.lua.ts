import { STATS_LAYOUT } from './stats-layout';

/**
 * Applies the events of one topic-partition to the stats: the Redis twin of
 * `applyFact` and `contributionsOf` in `@workpipe/stats-model` (keep them in
 * step; `test/stats/apply-fact-script.test.ts` checks they agree on shuffled
 * streams with duplicates and redeliveries).
 *
 * The script run is atomic, so no crash or concurrent instance can split what
 * it does for each event, in offset order:
 * 0. the continuity guard: the caller says which offset it knows is stored
 *    for this topic-partition (the one it resumed after, or the last it
 *    applied); a stored offset that is missing or behind it means Redis lost
 *    writes (emptied, or failed over), and applying on would skip what lies in
 *    between, so the script refuses (`POSITION_LOST`, nothing written) and the
 *    consumer seeks back to where Redis is now (the log start if nothing is
 *    stored: a rebuild);
 * 1. the offset guard: skip (`stale`) an event at or before the offset stored
 *    for this topic-partition, else advance the stored offset to it;
 * 2. the fact guard: skip (`duplicate`) a fact the item already has (the
 *    attempt identity, see `factId`);
 * 3. the update: the item's state, then every scope counter, series bucket and
 *    sorted set, moved by contributions(after) - contributions(before), plus
 *    what the event itself counts.
 * Counter and series increments of the whole call are summed per field and
 * written once at the end (same script run, so just as atomic): a chunk of
 * events of one batch costs a few HINCRBYs, not a few per event.
 *
 * ARGV: 1 key base (`<prefix>stats:`), 2 `<topic>:<partition>`, 3 the offset
 * the caller knows is stored ('' if it resumed from the log start and applied
 * nothing since), then pairs of
 * (offset, fact JSON with its `id`, or '' for an undecodable message), in offset order.
 * Returns one `{ outcome, batchId }` per event: applied | duplicate | stale | invalid.
 * With a partition's first stored offset it also stores `stats:layout` (see `stats-layout.ts`),
 * so state rebuilt after an emptied Redis is known to be of this layout too.
 *
 * Redis does not roll a script back when it fails half-way, so every fact is
 * decoded and checked before the first write. Keys are built inside from the
 * base (standalone Redis; on a Cluster every stats key would need one slot).
 *
 * Item hash fields: id, k (key), wt (work type), b (batch), ca (createdAt ms),
 * ep (epochs seen), ab (epochs abandoned), fc (failed attempts), ft:<T> (per type),
 * hist (longest history), ffa (first failure ms), lfa/lft/lfm (last failure ms,
 * type, message), sc (successes), sa/sat/sr/sk (the success that counts: ms,
 * attempt, replay id, fact id), aa/ar/at/am/ak (the abandonment that counts: ms,
 * reason, failure type, detail, fact id).
 */
export const APPLY_FACT_LUA = `
local P = ARGV[1]
local tp = ARGV[2]

local function need(value, name)
  if value == nil or value == cjson.null then error('apply-fact: the fact has no ' .. name) end
end
local function check(f)
  need(f.id, 'id'); need(f.itemId, 'itemId'); need(f.key, 'key'); need(f.workType, 'workType')
  need(f.batchId, 'batchId'); need(f.createdAtMs, 'createdAtMs'); need(f.replayId, 'replayId')
  need(f.historyLength, 'historyLength')
  if f.lastFailure then need(f.lastFailure.atMs, 'lastFailure.atMs'); need(f.lastFailure.type, 'lastFailure.type'); need(f.lastFailure.message, 'lastFailure.message') end
  if f.kind == 'work' then need(f.phase, 'phase')
  elseif f.kind == 'failed' then need(f.failure, 'failure'); need(f.failure.atMs, 'failure.atMs'); need(f.failure.type, 'failure.type'); need(f.failure.message, 'failure.message')
  elseif f.kind == 'succeeded' then need(f.completedAtMs, 'completedAtMs'); need(f.attempt, 'attempt')
  elseif f.kind == 'abandoned' then need(f.abandonedAtMs, 'abandonedAtMs'); need(f.reason, 'reason'); need(f.failureType, 'failureType'); need(f.detail, 'detail')
  else error('apply-fact: unknown kind ' .. tostring(f.kind)) end
end

local events = {}
for i = 4, #ARGV, 2 do
  local fact = false
  if ARGV[i + 1] ~= '' then
    fact = cjson.decode(ARGV[i + 1])
    check(fact)
  end
  events[#events + 1] = { offset = ARGV[i], fact = fact }
end

local function str(n) return string.format('%.0f', n) end
local function minute(ms) return string.format('%.0f', math.floor(ms / 60000)) end

local offsetsKey = P .. 'offsets'
local allBase = P .. 'all'
local stored = redis.call('HGET', offsetsKey, tp)
local storedNumber = stored and tonumber(stored) or -1
local known = ARGV[3]
if known ~= '' and storedNumber < tonumber(known) then
  return redis.error_reply('POSITION_LOST ' .. tp .. ': the stored offset is ' .. (stored or 'missing') .. ', the consumer knows ' .. known .. ' was stored')
end
local lastOffset = nil

-- key -> field -> delta, written at the end.
local deltas = {}
local function incr(key, field, by)
  local fields = deltas[key]
  if not fields then fields = {}; deltas[key] = fields end
  fields[field] = (fields[field] or 0) + by
end

-- What the item adds to its scopes, from its state alone (contributionsOf).
local function contributions(st)
  local c, ts, z = {}, {}, {}
  if not st.id then return c, ts, z end
  local ca = tonumber(st.ca)
  local sc, ab, ep = tonumber(st.sc), tonumber(st.ab), tonumber(st.ep)
  local failed = tonumber(st.fc) > 0 or tonumber(st.hist) > 0 or ab > 0
  local status = 'pending'
  if sc > 0 then status = 'succeeded' elseif ab > 0 and ab >= ep then status = 'abandoned' end
  c['submitted'] = 1
  ts[minute(ca) .. ':submitted'] = 1
  c[status] = 1
  if status == 'succeeded' then
    if failed then c['succeeded_after_failure'] = 1 else c['succeeded_first_pass'] = 1 end
    if st.sr == '' then c['succeeded_attempt:' .. st.sat] = 1 else c['succeeded_by_replay'] = 1 end
    ts[minute(tonumber(st.sa)) .. ':succeeded'] = 1
    z['tts'] = tonumber(st.sa) - ca
  end
  if failed then
    c['failed_items'] = 1
    for field, value in pairs(st) do
      if string.sub(field, 1, 3) == 'ft:' and tonumber(value) > 0 then
        c['failed_items_type:' .. string.sub(field, 4)] = 1
      end
    end
  end
  if status == 'pending' then
    z['pending'] = ca
    if failed then c['retryable'] = 1 end
  end
  if status == 'abandoned' then
    c['abandoned_reason:' .. st.ar] = 1
    c['abandoned_type:' .. st.at] = 1
  end
  local view = nil
  if status == 'abandoned' then view = 'abandoned' elseif status == 'pending' and failed then view = 'retryable' end
  if view then
    local vt
    if view == 'abandoned' then vt = st.at else vt = st.lft or st.at or 'UNKNOWN' end
    local score = tonumber(st.ffa or st.aa or st.ca)
    c['outstanding_type:' .. vt] = 1
    z['fail:all'] = score
    z['fail:all:' .. vt] = score
    z['fail:' .. view] = score
    z['fail:' .. view .. ':' .. vt] = score
    if view == 'abandoned' then
      z['fail:abandoned:reason:' .. st.ar] = score
      z['fail:abandoned:reason:' .. st.ar .. ':' .. vt] = score
    end
  end
  return c, ts, z
end

local function applyOne(offset, f)
  local itemKey = P .. 'item:{' .. f.itemId .. '}'
  local factsKey = itemKey .. ':facts'
  local s = {}
  local flat = redis.call('HGETALL', itemKey)
  for i = 1, #flat, 2 do s[flat[i]] = flat[i + 1] end

  local batch = s.b or f.batchId or ''
  local scopes = { allBase }
  if batch ~= '' then scopes[2] = P .. 'batch:{' .. batch .. '}' end
  local function incrAll(suffix, field, by)
    for _, base in ipairs(scopes) do incr(base .. suffix, field, by) end
  end

  if redis.call('HSETNX', factsKey, f.id, offset) == 0 then
    incrAll(':counters', 'duplicates', 1)
    return { 'duplicate', batch }
  end

  local beforeC, beforeTs, beforeZ = contributions(s)

  -- The fact, merged into the state (applyFact).
  if not s.id then
    s.id = f.itemId
    s.k = f.key
    s.wt = f.workType
    s.b = f.batchId
    s.ca = str(f.createdAtMs)
    s.ep, s.ab, s.fc, s.hist, s.sc = '0', '0', '0', '0', '0'
    if s.b ~= '' then redis.call('ZADD', P .. 'batches', 'LT', s.ca, s.b) end
  elseif f.createdAtMs < tonumber(s.ca) then
    s.ca = str(f.createdAtMs)
    if s.b ~= '' then redis.call('ZADD', P .. 'batches', 'LT', s.ca, s.b) end
  end
  if redis.call('HSETNX', factsKey, 'e:' .. f.replayId, offset) == 1 then
    s.ep = str(tonumber(s.ep) + 1)
  end
  if f.historyLength > tonumber(s.hist) then s.hist = str(f.historyLength) end
  if f.firstFailureAtMs and (not s.ffa or f.firstFailureAtMs < tonumber(s.ffa)) then s.ffa = str(f.firstFailureAtMs) end

  local function mergeLastFailure(mark)
    if not mark then return end
    local later = false
    if not s.lfa then
      later = true
    else
      local current = tonumber(s.lfa)
      if mark.atMs > current then
        later = true
      elseif mark.atMs == current then
        later = (mark.type .. '\\0' .. mark.message) > (s.lft .. '\\0' .. s.lfm)
      end
    end
    if later then
      s.lfa, s.lft, s.lfm = str(mark.atMs), mark.type, mark.message
    end
  end
  mergeLastFailure(f.lastFailure)

  if f.kind == 'work' then
    if f.phase ~= 'submission' then incrAll(':counters', 'retries_scheduled', 1) end
    if f.phase == 'replay' then incrAll(':counters', 'replays', 1) end
    if f.retryWaitMs then
      incrAll(':counters', 'retry_wait_ms_total', f.retryWaitMs)
      incrAll(':counters', 'retry_wait_count', 1)
      for _, base in ipairs(scopes) do
        redis.call('ZADD', base .. ':z:retry_wait', str(f.retryWaitMs), f.itemId .. '|' .. f.id)
      end
    end
  elseif f.kind == 'failed' then
    s.fc = str(tonumber(s.fc) + 1)
    local typeField = 'ft:' .. f.failure.type
    s[typeField] = str(tonumber(s[typeField] or '0') + 1)
    mergeLastFailure(f.failure)
    incrAll(':counters', 'failed_attempts', 1)
    incrAll(':counters', 'failed_attempts_type:' .. f.failure.type, 1)
    incrAll(':series', minute(f.failure.atMs) .. ':failed', 1)
  elseif f.kind == 'succeeded' then
    s.sc = str(tonumber(s.sc) + 1)
    local better = not s.sa
    if not better then
      local current = tonumber(s.sa)
      better = f.completedAtMs < current or (f.completedAtMs == current and f.id < s.sk)
    end
    if better then
      s.sa, s.sat, s.sr, s.sk = str(f.completedAtMs), str(f.attempt), f.replayId, f.id
    end
  elseif f.kind == 'abandoned' then
    s.ab = str(tonumber(s.ab) + 1)
    local better = not s.aa
    if not better then
      local current = tonumber(s.aa)
      better = f.abandonedAtMs > current or (f.abandonedAtMs == current and f.id > s.ak)
    end
    if better then
      s.aa, s.ar, s.at, s.am, s.ak = str(f.abandonedAtMs), f.reason, f.failureType, f.detail, f.id
    end
    incrAll(':counters', 'abandonments', 1)
    incrAll(':series', minute(f.abandonedAtMs) .. ':abandoned', 1)
  end

  local fields = {}
  for field, value in pairs(s) do
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
  redis.call('HSET', itemKey, unpack(fields))

  local afterC, afterTs, afterZ = contributions(s)
  for field, value in pairs(afterC) do incrAll(':counters', field, value) end
  for field, value in pairs(beforeC) do incrAll(':counters', field, -value) end
  for field, value in pairs(afterTs) do incrAll(':series', field, value) end
  for field, value in pairs(beforeTs) do incrAll(':series', field, -value) end
  for name, score in pairs(afterZ) do
    if beforeZ[name] ~= score then
      for _, base in ipairs(scopes) do redis.call('ZADD', base .. ':z:' .. name, str(score), s.id) end
    end
  end
  for name, _ in pairs(beforeZ) do
    if afterZ[name] == nil then
      for _, base in ipairs(scopes) do redis.call('ZREM', base .. ':z:' .. name, s.id) end
    end
  end
  return { 'applied', batch }
end

local results = {}
for _, event in ipairs(events) do
  local number = tonumber(event.offset)
  if number <= storedNumber then
    results[#results + 1] = { 'stale', '' }
  else
    storedNumber = number
    lastOffset = event.offset
    if event.fact then
      results[#results + 1] = applyOne(event.offset, event.fact)
    else
      incr(allBase .. ':counters', 'invalid_events', 1)
      results[#results + 1] = { 'invalid', '' }
    end
  end
end

for key, fields in pairs(deltas) do
  for field, delta in pairs(fields) do
    if delta ~= 0 then redis.call('HINCRBY', key, field, str(delta)) end
  end
end
if lastOffset then
  redis.call('HSET', offsetsKey, tp, lastOffset)
  -- With a partition's first stored offset (state started, or rebuilt after an emptied Redis).
  if not stored then redis.call('SET', P .. 'layout', '${STATS_LAYOUT}') end
end
return results
`;
