--[[
  remove: takes a call's entry out of its queue (QueueStore.remove).

  KEYS[1]  entry hash         {P}:e:<callId>
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)

  Returns: the removed entry's hash as a flat field/value array, or nil if there was none.

  The queue's key is read from the entry's ~q field (built by keys.ts, same hash tag).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = false
local entry = redis.call('HGETALL', KEYS[1])
if #entry > 0 then
  local queue = redis.call('HGET', KEYS[1], '~q')
  if queue then
    redis.call('ZREM', queue, redis.call('HGET', KEYS[1], '~m'))
  end
  redis.call('DEL', KEYS[1])
  reply = entry
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
