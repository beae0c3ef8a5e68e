--[[
  mark-offered: marks a waiting entry offered to an agent (QueueStore.markOffered).

  KEYS[1]  entries            {P}:e      (hash: callId -> entry record)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId
  ARGV[3]  the agent id, JSON-encoded

  Returns: 1 if the entry was waiting and is now offered, 0 otherwise (absent or not waiting).
]]
--- @include record
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = 0
local r = redis.call('HGET', KEYS[1], ARGV[2])
if r and record_get(r, 'status') == '"waiting"' then
  r = record_set(record_set(r, 'status', '"offered"'), 'offeredTo', ARGV[3])
  redis.call('HSET', KEYS[1], ARGV[2], r)
  reply = 1
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
