--[[
  enqueue: adds or replaces the queue entry of a call (QueueStore.enqueue).

  KEYS[1]  entry hash         {P}:e:<callId>
  KEYS[2]  section queue      {P}:q:<section>   (sorted set)
  KEYS[3]  seq counter        {P}:seq
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  score: the entry's priority, negated (high priority sorts first)
  ARGV[3]  order prefix: enteredAt as 16 order-preserving hex digits
  ARGV[4]  callId
  ARGV[5]  seq as a decimal integer string, or '' to take the next value of KEYS[3]
  ARGV[6..] field, JSON value pairs: the entry's other top-level fields (never seq)

  Returns: the entry's seq (decimal string).

  An entry already present for the call is dropped first, from whatever queue it was in: that
  queue's key is read from the entry's ~q field (written by this script, built by keys.ts).
  The queue member is <order prefix><seq, 16 digits zero-padded><callId>, its score -priority:
  ZRANGE gives priority (high first), then enteredAt, then seq.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

local oldQueue = redis.call('HGET', KEYS[1], '~q')
if oldQueue then
  redis.call('ZREM', oldQueue, redis.call('HGET', KEYS[1], '~m'))
end
redis.call('DEL', KEYS[1])

local seq = ARGV[5]
if seq == '' then
  seq = string.format('%d', redis.call('INCR', KEYS[3]))
end
local member = ARGV[3] .. string.rep('0', 16 - #seq) .. seq .. ARGV[4]

local fields = { 'seq', seq, '~q', KEYS[2], '~m', member }
for i = 6, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[2], member)

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(seq), 'PX', ttl) end
return seq
