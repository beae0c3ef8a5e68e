--[[
  campaign-renew: extends the locks an engine still holds (CampaignStore.renewLocks).

  KEYS[1]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[2]  dialing contacts   {P}:cmp:<id>:dialing  (sorted set: lock expiry, id)

  ARGV[1]  engine id, JSON-encoded
  ARGV[2]  the new expiry (ms, decimal)
  ARGV[3..] contact ids

  Returns: how many locks were extended (contacts dialing under this engine's lock, lapsed or
  not, as long as nobody released them). Idempotent by itself.
]]
--- @include campaign-contact
local n = 0
for i = 3, #ARGV do
  local r = redis.call('HGET', KEYS[1], ARGV[i])
  if r and rec_get(r, 'status') == '"dialing"' and rec_get(r, 'lockedBy') == ARGV[1] then
    redis.call('HSET', KEYS[1], ARGV[i], rec_set(r, 'lockedUntil', ARGV[2]))
    redis.call('ZADD', KEYS[2], ARGV[2], ARGV[i])
    n = n + 1
  end
end
return n
