--[[
  mark-waiting: returns an entry to waiting, keeping its place (QueueStore.markWaiting).

  KEYS[1]  entries            {P}:e      (hash: callId -> entry record)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId

  Returns: 1 if the entry exists (now waiting, offeredTo cleared), 0 if there is none.
  Its queue member is untouched: the place is kept. offeredTo is only ever an overlay (never
  inside ~j), so dropping the overlay removes it.
]]
--- @include record
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = 0
local r = redis.call('HGET', KEYS[1], ARGV[2])
if r then
  redis.call('HSET', KEYS[1], ARGV[2], record_set(record_without(r, 'offeredTo'), 'status', '"waiting"'))
  reply = 1
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
