--[[
  call-put: writes (replaces) a call record (CallStore.put).

  KEYS[1]  call records       {P}:c      (hash: callId -> record JSON)
  KEYS[2]  call servers       {P}:cs     (hash: callId -> key of its server's set)
  KEYS[3]  the server's calls {P}:calls:<serverId>   (set of call ids)
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId
  ARGV[3]  the record as JSON

  Returns: 1. A record that moved to another server leaves the old server's set, whose key is
  read from KEYS[2] (written here, built by keys.ts: same hash tag).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local old = redis.call('HGET', KEYS[2], ARGV[2])
if old and old ~= KEYS[3] then redis.call('SREM', old, ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], KEYS[3])
redis.call('SADD', KEYS[3], ARGV[2])

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(1), 'PX', ttl) end
return 1
