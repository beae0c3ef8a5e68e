--[[
  remove: takes a call's entry out of its queue (QueueStore.remove).

  KEYS[1]  entries            {P}:e      (hash: callId -> entry record)
  KEYS[2]  entry queues       {P}:eq     (hash: callId -> queue key)
  KEYS[3]  entry members      {P}:em     (hash: callId -> queue member)
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId

  Returns: the removed entry's record (codec.ts), or nil if there was none.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local callId = ARGV[2]
local reply = redis.call('HGET', KEYS[1], callId)
if reply then
  local queue = redis.call('HGET', KEYS[2], callId)
  if queue then redis.call('ZREM', queue, redis.call('HGET', KEYS[3], callId)) end
  redis.call('HDEL', KEYS[1], callId)
  redis.call('HDEL', KEYS[2], callId)
  redis.call('HDEL', KEYS[3], callId)
end

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(reply), 'PX', ttl) end
return reply
