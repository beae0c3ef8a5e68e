--[[
  campaign-release: returns the dialing contacts whose lock expired to pending, without
  counting an attempt (CampaignStore.releaseExpired).

  KEYS[1]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[2]  due contacts       {P}:cmp:<id>:due      (sorted set: nextAt, <seq 16 digits><id>)
  KEYS[3]  dialing contacts   {P}:cmp:<id>:dialing  (sorted set: lock expiry, id)
  KEYS[4]  counts by status   {P}:cmp:<id>:n        (hash: status -> count)
  KEYS[5]  in flight          {P}:cmp:<id>:eng      (hash: engine id -> contacts dialing)

  ARGV[1]  now (ms, decimal): locks expiring at or before it have lapsed
  ARGV[2]  at most this many

  Returns: the ids released, oldest lock first. Each keeps its nextAt and seq (first in line
  again), loses the lock, gets releases + 1. Idempotent by itself: a replay finds nothing.
]]
--- @include campaign-contact
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))) do
  redis.call('ZREM', KEYS[3], id)
  local r = redis.call('HGET', KEYS[1], id)
  if r and rec_get(r, 'status') == '"dialing"' then
    engine_add(KEYS[5], cjson.decode(rec_get(r, 'lockedBy')), -1)
    local releases = string.format('%d', tonumber(rec_get(r, 'releases') or '0') + 1)
    r = rec_set(rec_set(rec_without(rec_without(r, 'lockedBy'), 'lockedUntil'), 'status', '"pending"'), 'releases', releases)
    redis.call('HSET', KEYS[1], id, r)
    redis.call('ZADD', KEYS[2], rec_get(r, 'nextAt'), due_member(rec_get(r, 'seq'), id))
    out[#out + 1] = id
  end
end
if #out > 0 then
  redis.call('HINCRBY', KEYS[4], 'dialing', -#out)
  redis.call('HINCRBY', KEYS[4], 'pending', #out)
end
return out
