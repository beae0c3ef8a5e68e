--[[
  agent-list: every agent record, in first-upsert order, read in one step (AgentStore.list).

  KEYS[1]  agent order        {P}:agents     (sorted set)
  KEYS[2]  agents             {P}:a          (hash: agent id -> agent record)

  Returns: the agent records (codec.ts), read with HMGET in chunks of 1000 (see queue-list-2).
]]
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for i = 1, #ids, 1000 do
  for _, r in ipairs(redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))) do
    if r then out[#out + 1] = r end
  end
end
return out
