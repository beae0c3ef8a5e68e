--[[
  outbox-requeue: a change set aside goes back to the head of its escalation's outbox, due now,
  attempts reset (EscalationOutbox.requeue).

  KEYS[1]  set aside          {P}:xa
  KEYS[2]  outbox             {P}:xo
  KEYS[3]  outbox due         {P}:xd
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  change id
  ARGV[3]  now (ms)

  Returns: 1 requeued, 0 no change with that id is set aside.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local reply = 0
local now = tonumber(ARGV[3])
for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local item = cjson.decode(raw)
  if item.changeId == ARGV[2] then
    redis.call('LREM', KEYS[1], 1, raw)
    local back = { escalationId = item.escalationId, changeId = item.changeId, seq = item.seq, attempts = 0, nextAt = now }
    local pending = redis.call('HGET', KEYS[2], item.escalationId)
    local items = pending and cjson.decode(pending) or {}
    table.insert(items, 1, back)
    redis.call('HSET', KEYS[2], item.escalationId, cjson.encode(items))
    redis.call('ZADD', KEYS[3], now, item.escalationId)
    reply = 1
    break
  end
end

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(reply), 'PX', ttl) end
return reply
