--[[
  outbox-drop: an escalation's head change leaves its outbox, delivered or set aside after its
  attempts; the next change becomes due (EscalationOutbox.delivered and .setAside).

  KEYS[1]  outbox due         {P}:xd
  KEYS[2]  outbox             {P}:xo
  KEYS[3]  set aside          {P}:xa     (list of items, oldest first)
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  escalation id
  ARGV[3]  change id (only the head with this id is dropped)
  ARGV[4]  now (ms): the next change is due at the later of its own time and now
  ARGV[5]  '' delivered; otherwise set aside with this error

  Returns: 1 dropped, 0 the head is not that change (nothing changed).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local reply = 0
local pending = redis.call('HGET', KEYS[2], ARGV[2])
if pending then
  local items = cjson.decode(pending)
  local head = items[1]
  if head and head.changeId == ARGV[3] then
    table.remove(items, 1)
    if #items > 0 then
      local now = tonumber(ARGV[4])
      if items[1].nextAt < now then items[1].nextAt = now end
      redis.call('HSET', KEYS[2], ARGV[2], cjson.encode(items))
      redis.call('ZADD', KEYS[1], items[1].nextAt, ARGV[2])
    else
      redis.call('HDEL', KEYS[2], ARGV[2])
      redis.call('ZREM', KEYS[1], ARGV[2])
    end
    if ARGV[5] ~= '' then
      head.lastError = ARGV[5]
      redis.call('RPUSH', KEYS[3], cjson.encode(head))
    end
    reply = 1
  end
end

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(reply), 'PX', ttl) end
return reply
