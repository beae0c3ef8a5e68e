--[[
  agent-upsert: writes an agent's whole record (AgentStore.upsert).

  KEYS[1]  agents             {P}:a          (hash: agent id -> agent record, codec.ts)
  KEYS[2]  agent order        {P}:agents     (sorted set: ids in first-upsert order)
  KEYS[3]  order counter      {P}:agents:n
  KEYS[4]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  agent id
  ARGV[3]  the record ("~j\n<JSON without the state fields>\nstate\n<JSON>\n...", codec.ts)

  Returns: 1.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[4])
  if done then return cjson.decode(done) end
end

redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[2])
end

if ttl > 0 then redis.call('SET', KEYS[4], cjson.encode(1), 'PX', ttl) end
return 1
