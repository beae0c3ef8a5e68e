--[[
  call-delete: deletes a call record (CallStore.delete).

  KEYS[1]  call records       {P}:c      (hash: callId -> record JSON)
  KEYS[2]  call servers       {P}:cs     (hash: callId -> key of its server's set)
  KEYS[3]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId

  Returns: 1 if a record was deleted, 0 if there was none.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[3])
  if done then return cjson.decode(done) end
end

local set = redis.call('HGET', KEYS[2], ARGV[2])
if set then redis.call('SREM', set, ARGV[2]) end
redis.call('HDEL', KEYS[2], ARGV[2])
local reply = redis.call('HDEL', KEYS[1], ARGV[2])

if ttl > 0 then redis.call('SET', KEYS[3], cjson.encode(reply), 'PX', ttl) end
return reply
