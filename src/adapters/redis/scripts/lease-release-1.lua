--[[
  lease-release: gives a lease up if the owner holds it (LeaseStore.release).

  KEYS[1]  lease              {P}:lease:<name>   (hash: owner, until)

  ARGV[1]  owner

  Returns: 1 if released, 0 if someone else (or no one) held it. Idempotent by itself.
]]
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
