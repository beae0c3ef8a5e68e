--[[
  campaign-claim: takes the first due contacts of a campaign for an engine, under a lock
  (CampaignStore.claimDue).

  KEYS[1]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[2]  due contacts       {P}:cmp:<id>:due      (sorted set: nextAt, <seq 16 digits><id>)
  KEYS[3]  dialing contacts   {P}:cmp:<id>:dialing  (sorted set: lock expiry, id)
  KEYS[4]  counts by status   {P}:cmp:<id>:n        (hash: status -> count)
  KEYS[5]  in flight          {P}:cmp:<id>:eng      (hash: engine id -> contacts dialing)
  KEYS[6]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  now (ms, decimal): due means nextAt <= now
  ARGV[3]  at most this many (> 0)
  ARGV[4]  engine id, JSON-encoded (the lock's owner in the record)
  ARGV[5]  engine id, plain (the field of KEYS[5])
  ARGV[6]  lock expiry (ms, decimal)

  Returns: the claimed contact records, in due order (nextAt, then seq). Each leaves the due
  set for the dialing set, status "dialing", lockedBy, lockedUntil and claims + 1. One
  ZRANGE and, per contact, a ZREM, a ZADD and the record: O(log n) each.
]]
--- @include campaign-contact
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[6])
  if done then return cjson.decode(done) end
end

local out = {}
local members = redis.call('ZRANGE', KEYS[2], '-inf', ARGV[2], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[2], m)
  local id = string.sub(m, 17)
  local r = redis.call('HGET', KEYS[1], id)
  if r and rec_get(r, 'status') == '"pending"' then
    local claims = string.format('%d', tonumber(rec_get(r, 'claims') or '0') + 1)
    r = rec_set(rec_set(rec_set(rec_set(r, 'status', '"dialing"'), 'lockedBy', ARGV[4]), 'lockedUntil', ARGV[6]), 'claims', claims)
    redis.call('HSET', KEYS[1], id, r)
    redis.call('ZADD', KEYS[3], ARGV[6], id)
    out[#out + 1] = r
  end
end
if #out > 0 then
  redis.call('HINCRBY', KEYS[4], 'pending', -#out)
  redis.call('HINCRBY', KEYS[4], 'dialing', #out)
  engine_add(KEYS[5], ARGV[5], #out)
end

if ttl > 0 then redis.call('SET', KEYS[6], cjson.encode(out), 'PX', ttl) end
return out
