--[[
  escalation-create: stores a new escalation and queues its history for the webhook
  (EscalationStore.create).

  KEYS[1]  escalations        {P}:x      (hash: id -> escalation JSON)
  KEYS[2]  escalation index   {P}:x:i    (sorted set: id by createdAt)
  KEYS[3]  outbox             {P}:xo     (hash: id -> JSON array of pending changes, head first)
  KEYS[4]  outbox due         {P}:xd     (sorted set: id -> when its head is due)
  KEYS[5]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  escalation id
  ARGV[3]  the escalation as JSON
  ARGV[4]  createdAt (ms)
  ARGV[5]  JSON array of the outbox items of its history (non-empty)
  ARGV[6]  when the first of them is due (ms)

  Returns: 1 created, 0 an escalation with this id exists (nothing changed).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[5])
  if done then return cjson.decode(done) end
end

local reply = 0
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[2])
  reply = 1
end

if ttl > 0 then redis.call('SET', KEYS[5], cjson.encode(reply), 'PX', ttl) end
return reply
