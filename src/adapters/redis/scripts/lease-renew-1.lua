--[[
  lease-renew: extends a lease only if the owner still holds it, unexpired (LeaseStore.renew).

  KEYS[1]  lease              {P}:lease:<name>   (hash: owner, until)

  ARGV[1]  owner
  ARGV[2]  now (ms, the engine's clock, decimal)
  ARGV[3]  until = now + ttl (ms, decimal)

  Returns: 1 if renewed until ARGV[3], 0 if the lease is not ours or has expired.
  Idempotent by itself.
]]
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'until')) <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'until', ARGV[3])
return 1
