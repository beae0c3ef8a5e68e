--[[
  event-append: appends a call event once per event id (EventLog.append).

  KEYS[1]  event stream       {P}:ev
  KEYS[2]  seen event ids     {P}:ev:ids     (hash: event id -> index + 1)
  KEYS[3]  event counter      {P}:ev:n

  ARGV[1]  event id
  ARGV[2]  the event as JSON

  Returns: the event's index in append order + 1 (its stream entry is "<that>-0"), or 0 when
  an event with this id was appended before (nothing added). Idempotent by itself: a replayed
  call adds nothing, so it needs no replay guard.
]]
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local n = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[1], string.format('%d-0', n), 'id', ARGV[1], 'e', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], n)
return n
