--[[
  outbox-failed: an attempt to deliver an escalation's head change failed; the head stays, due
  again later (EscalationOutbox.failed). Idempotent by itself (it sets values): no guard.

  KEYS[1]  outbox due         {P}:xd
  KEYS[2]  outbox             {P}:xo

  ARGV[1]  escalation id
  ARGV[2]  change id (only if it is still the head)
  ARGV[3]  attempts made so far
  ARGV[4]  when to try again (ms)
  ARGV[5]  the error

  Returns: 1 recorded, 0 the head is not that change.
]]
local pending = redis.call('HGET', KEYS[2], ARGV[1])
if not pending then return 0 end
local items = cjson.decode(pending)
if not items[1] or items[1].changeId ~= ARGV[2] then return 0 end
items[1].attempts = tonumber(ARGV[3])
items[1].nextAt = tonumber(ARGV[4])
items[1].lastError = ARGV[5]
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(items))
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return 1
