--[[
  call-put: writes (replaces) a call record (CallStore.put).

  KEYS[1]  call record        {P}:c:<callId>   (hash: j = record JSON, ~s = server set key)
  KEYS[2]  the server's calls {P}:calls:<serverId>   (set of call ids)
  KEYS[3]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId
  ARGV[3]  the record as JSON

  Returns: 1. A record that moved to another server leaves the old server's set, whose key is
  read from ~s (built by keys.ts, same hash tag).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[3])
  if done then return cjson.decode(done) end
end

local old = redis.call('HGET', KEYS[1], '~s')
if old and old ~= KEYS[2] then redis.call('SREM', old, ARGV[2]) end
redis.call('HSET', KEYS[1], 'j', ARGV[3], '~s', KEYS[2])
redis.call('SADD', KEYS[2], ARGV[2])

if ttl > 0 then redis.call('SET', KEYS[3], cjson.encode(1), 'PX', ttl) end
return 1
