--[[
  lease-acquire: takes a lease if it is free, expired or already ours (LeaseStore.acquire).

  KEYS[1]  lease              {P}:lease:<name>   (hash: owner, until)

  ARGV[1]  owner
  ARGV[2]  now (ms, the engine's clock, decimal)
  ARGV[3]  until = now + ttl (ms, decimal)

  Returns: 1 if the lease is now ours until ARGV[3], 0 if another owner holds it past now.
  Times are the engines' clocks, compared as numbers; the key has no Redis TTL. Idempotent by
  itself (a replay by the same owner at the same time gives the same result).
]]
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'until')) > tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'until', ARGV[3])
return 1
