--[[
  mark-waiting: returns an entry to waiting, keeping its place (QueueStore.markWaiting).

  KEYS[1]  entry hash         {P}:e:<callId>
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)

  Returns: 1 if the entry exists (now waiting, offeredTo cleared), 0 if there is none.
  Its queue member is untouched: the place is kept.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', '"waiting"')
  redis.call('HDEL', KEYS[1], 'offeredTo')
  reply = 1
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
