--[[
  enqueue: adds or replaces the queue entry of a call (QueueStore.enqueue).

  KEYS[1]  entries            {P}:e      (hash: callId -> entry record, codec.ts)
  KEYS[2]  entry queues       {P}:eq     (hash: callId -> key of the queue holding it)
  KEYS[3]  entry members      {P}:em     (hash: callId -> its member in that queue)
  KEYS[4]  section queue      {P}:q:<section>   (sorted set)
  KEYS[5]  seq counter        {P}:seq
  KEYS[6]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  score: the entry's priority, negated (high priority sorts first)
  ARGV[3]  order prefix: enteredAt as 16 order-preserving hex digits
  ARGV[4]  callId
  ARGV[5]  seq as a decimal integer string, or '' to take the next value of KEYS[5]
  ARGV[6]  the entry record without seq ("~j\n<JSON>\nstatus\n<JSON>\n...", codec.ts)

  Returns: the entry's seq (decimal string).

  An entry already present for the call is dropped first from the queue it was in, whose key
  is read from KEYS[2] (written here, built by keys.ts: same hash tag). The queue member is
  <order prefix><seq, 16 digits zero-padded><callId> with score -priority: ZRANGE gives
  priority (high first), then enteredAt, then seq.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[6])
  if done then return cjson.decode(done) end
end

local callId = ARGV[4]
local oldQueue = redis.call('HGET', KEYS[2], callId)
if oldQueue then
  redis.call('ZREM', oldQueue, redis.call('HGET', KEYS[3], callId))
end

local seq = ARGV[5]
if seq == '' then
  seq = string.format('%d', redis.call('INCR', KEYS[5]))
end
local member = ARGV[3] .. string.rep('0', 16 - #seq) .. seq .. callId

redis.call('HSET', KEYS[1], callId, ARGV[6] .. 'seq\n' .. seq .. '\n')
redis.call('HSET', KEYS[2], callId, KEYS[4])
redis.call('HSET', KEYS[3], callId, member)
redis.call('ZADD', KEYS[4], ARGV[2], member)

if ttl > 0 then redis.call('SET', KEYS[6], cjson.encode(seq), 'PX', ttl) end
return seq
