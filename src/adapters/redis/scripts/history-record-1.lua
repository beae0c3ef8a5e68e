--[[
  history-record: records who served a caller, unless a later service is already recorded
  (CallerHistory.recordServed).

  KEYS[1]  caller history     {P}:h:<caller>   (hash: agentId, at)

  ARGV[1]  agent id
  ARGV[2]  time of service (ms, decimal)
  ARGV[3]  time to live of the record, ms

  Returns: 1 if recorded, 0 if an older time than the one stored (nothing changed).
  Idempotent by itself (same time, same agent), so it needs no replay guard.
]]
local prev = redis.call('HGET', KEYS[1], 'at')
if prev and tonumber(prev) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'agentId', ARGV[1], 'at', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
