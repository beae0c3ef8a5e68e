--[[
  call-list: the records of one server's calls, read in one step (CallStore.list).

  KEYS[1]  the server's calls {P}:calls:<serverId>   (set of call ids)

  ARGV[1]  call key prefix    {P}:c:   (keys.ts: call(callId) = prefix .. callId)

  Returns: an array of record JSON strings (in no particular order).
]]
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local j = redis.call('HGET', ARGV[1] .. id, 'j')
  if j then out[#out + 1] = j end
end
return out
