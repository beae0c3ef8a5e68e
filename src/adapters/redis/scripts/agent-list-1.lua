--[[
  agent-list: every agent record, in first-upsert order, read in one step (AgentStore.list).

  KEYS[1]  agent index        {P}:agents     (sorted set)

  ARGV[1]  agent key prefix   {P}:a:   (keys.ts: agent(id) = prefix .. id)

  Returns: an array of agent hashes, each a flat field/value array.
]]
local out = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local agent = redis.call('HGETALL', ARGV[1] .. id)
  if #agent > 0 then out[#out + 1] = agent end
end
return out
