--[[
  call-delete: deletes a call record (CallStore.delete).

  KEYS[1]  call record        {P}:c:<callId>
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId

  Returns: 1 if a record was deleted, 0 if there was none. Its server's set key is read from ~s.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = 0
local set = redis.call('HGET', KEYS[1], '~s')
if set then redis.call('SREM', set, ARGV[2]) end
if redis.call('DEL', KEYS[1]) == 1 then reply = 1 end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
