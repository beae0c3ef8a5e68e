--[[
  escalation-transition: compare-and-set of an escalation's status (EscalationStore.transition).
  The new record is built by the caller from the one it read; it is written only if the stored
  record still has the status and version the change starts from, so two supervisors changing
  the same ticket at once cannot both win.

  KEYS[1]  escalations        {P}:x
  KEYS[2]  outbox             {P}:xo
  KEYS[3]  outbox due         {P}:xd
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  escalation id
  ARGV[3]  expected status (change.from)
  ARGV[4]  expected version (change.seq - 1)
  ARGV[5]  the updated escalation as JSON
  ARGV[6]  the change's outbox item as JSON
  ARGV[7]  when the item is due (ms)

  Returns: 1 applied (record replaced, item appended to the escalation's outbox), 0 missing or
  moved on (nothing changed).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local reply = 0
local raw = redis.call('HGET', KEYS[1], ARGV[2])
if raw then
  local cur = cjson.decode(raw)
  if cur.status == ARGV[3] and tostring(cur.version) == ARGV[4] then
    redis.call('HSET', KEYS[1], ARGV[2], ARGV[5])
    local pending = redis.call('HGET', KEYS[2], ARGV[2])
    if pending then
      -- Append without re-encoding what is there: '[a,b]' -> '[a,b,item]'.
      redis.call('HSET', KEYS[2], ARGV[2], string.sub(pending, 1, -2) .. ',' .. ARGV[6] .. ']')
    else
      redis.call('HSET', KEYS[2], ARGV[2], '[' .. ARGV[6] .. ']')
      redis.call('ZADD', KEYS[3], ARGV[7], ARGV[2])
    end
    reply = 1
  end
end

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(reply), 'PX', ttl) end
return reply
