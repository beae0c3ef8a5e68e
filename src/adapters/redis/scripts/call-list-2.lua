--[[
  call-list: the records of one server's calls, read in one step (CallStore.list).

  KEYS[1]  the server's calls {P}:calls:<serverId>   (set of call ids)
  KEYS[2]  call records       {P}:c      (hash: callId -> record JSON)

  Returns: the record JSON strings (in no particular order), read with HMGET in chunks of 1000.
]]
local ids = redis.call('SMEMBERS', KEYS[1])
local out = {}
for i = 1, #ids, 1000 do
  for _, r in ipairs(redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))) do
    if r then out[#out + 1] = r end
  end
end
return out
