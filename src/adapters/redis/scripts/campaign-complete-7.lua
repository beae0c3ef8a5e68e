--[[
  campaign-complete: records the end of a claimed contact's attempt while the lock is the
  caller's (CampaignStore.complete).

  KEYS[1]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[2]  due contacts       {P}:cmp:<id>:due      (sorted set: nextAt, <seq 16 digits><id>)
  KEYS[3]  dialing contacts   {P}:cmp:<id>:dialing  (sorted set: lock expiry, id)
  KEYS[4]  counts by status   {P}:cmp:<id>:n        (hash: status -> count)
  KEYS[5]  in flight          {P}:cmp:<id>:eng      (hash: engine id -> contacts dialing)
  KEYS[6]  statistics         {P}:cmp:<id>:stats    (hash of counters)
  KEYS[7]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  contact id
  ARGV[3]  engine id, JSON-encoded
  ARGV[4]  engine id, plain
  ARGV[5]  the claim number the caller holds, or '' for any claim of this engine
  ARGV[6]  the status afterwards (plain word: pending, done, failed or excluded)
  ARGV[7]  nextAt (ms, decimal), or '' to keep it
  ARGV[8]  at (ms, decimal): the attempt's end (reachedAt for reached)
  ARGV[9]  the outcome (plain word), or '' when no attempt is counted
  ARGV[10] the hour bucket of the statistics, or ''
  ARGV[11] cooldownUntil (ms, decimal; the abandoned rule), or '' to keep it

  Returns: the updated contact record, or nil (refused: absent, not dialing, or locked by
  another engine or another claim). With an outcome: attempts + 1, the outcome appended to
  outcomes, lastOutcome, reachedAt for reached, and o:<outcome>, a:<attempt>:<outcome> and
  h:<hour>:<outcome> counted, all once with the replay guard. A pending contact goes back to
  the due set at nextAt with its seq.
]]
--- @include campaign-contact
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[7])
  if done then return cjson.decode(done) end
end

local id = ARGV[2]
local reply = false
local r = redis.call('HGET', KEYS[1], id)
if r and rec_get(r, 'status') == '"dialing"' and rec_get(r, 'lockedBy') == ARGV[3] and (ARGV[5] == '' or rec_get(r, 'claims') == ARGV[5]) then
  redis.call('ZREM', KEYS[3], id)
  engine_add(KEYS[5], ARGV[4], -1)
  r = rec_without(rec_without(r, 'lockedBy'), 'lockedUntil')
  local outcome = ARGV[9]
  if outcome ~= '' then
    local attempt = string.format('%d', tonumber(rec_get(r, 'attempts') or '0') + 1)
    local o = '"' .. outcome .. '"'
    r = rec_set(rec_set(rec_set(r, 'attempts', attempt), 'outcomes', json_append(rec_get(r, 'outcomes'), o)), 'lastOutcome', o)
    if outcome == 'reached' then r = rec_set(r, 'reachedAt', ARGV[8]) end
    redis.call('HINCRBY', KEYS[6], 'o:' .. outcome, 1)
    redis.call('HINCRBY', KEYS[6], 'a:' .. attempt .. ':' .. outcome, 1)
    if ARGV[10] ~= '' then redis.call('HINCRBY', KEYS[6], 'h:' .. ARGV[10] .. ':' .. outcome, 1) end
  end
  local status = ARGV[6]
  r = rec_set(r, 'status', '"' .. status .. '"')
  if ARGV[7] ~= '' then r = rec_set(r, 'nextAt', ARGV[7]) end
  if ARGV[11] ~= '' then r = rec_set(r, 'cooldownUntil', ARGV[11]) end
  redis.call('HSET', KEYS[1], id, r)
  redis.call('HINCRBY', KEYS[4], 'dialing', -1)
  redis.call('HINCRBY', KEYS[4], status, 1)
  if status == 'pending' then
    redis.call('ZADD', KEYS[2], rec_get(r, 'nextAt'), due_member(rec_get(r, 'seq'), id))
  end
  reply = r
end

if ttl > 0 then redis.call('SET', KEYS[7], cjson.encode(reply), 'PX', ttl) end
return reply
