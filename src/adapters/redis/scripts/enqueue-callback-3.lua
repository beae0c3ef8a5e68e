--[[
  enqueue-callback: turns a waiting caller's entry into a callback entry in the same place,
  unless another call's callback for the same number is still queued (QueueStore.enqueueCallback).

  KEYS[1]  entries            {P}:e      (hash: callId -> entry record)
  KEYS[2]  pending callbacks  {P}:cb     (hash: number -> callId of its callback entry)
  KEYS[3]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  callId
  ARGV[3]  the number to call back (a field of KEYS[2])
  ARGV[4]  the callback info, JSON-encoded (CallbackInfo)

  Returns: 'ok', 'duplicate' (another callback for the number is pending) or 'not_waiting'
  (no entry, or offered to an agent right now).

  The entry keeps its queue member (same priority, enteredAt, seq): only the overlays kind and
  recall are set. A number's field left behind by a callback entry that has since been
  removed is stale: the next request for the number takes it over.
]]
--- @include record
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[3])
  if done then return cjson.decode(done) end
end

local callId = ARGV[2]
local reply
local r = redis.call('HGET', KEYS[1], callId)
if not r or record_get(r, 'status') ~= '"waiting"' then
  reply = 'not_waiting'
else
  local other = redis.call('HGET', KEYS[2], ARGV[3])
  if other and other ~= callId and redis.call('HEXISTS', KEYS[1], other) == 1 then
    reply = 'duplicate'
  else
    r = record_set(record_set(r, 'kind', '"callback"'), 'recall', ARGV[4])
    redis.call('HSET', KEYS[1], callId, r)
    redis.call('HSET', KEYS[2], ARGV[3], callId)
    reply = 'ok'
  end
end

if ttl > 0 then redis.call('SET', KEYS[3], cjson.encode(reply), 'PX', ttl) end
return reply
