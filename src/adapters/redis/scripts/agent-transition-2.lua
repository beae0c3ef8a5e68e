--[[
  agent-transition: compare-and-set of an agent's state (AgentStore.transition). Only one
  caller can move an agent out of a given state: an agent is claimed by at most one call.

  KEYS[1]  agent hash         {P}:a:<agentId>
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  the new state, JSON-encoded (e.g. "\"reserved\"")
  ARGV[3]  the time of the change, JSON-encoded (stored as `since`)
  ARGV[4]  n, the number of accepted current states
  ARGV[5 .. 4+n]           the accepted current states, JSON-encoded
  ARGV[5+n]                m, the number of fields to set
  ARGV[6+n .. 5+n+2m]      field, JSON value pairs to set
  ARGV[6+n+2m ..]          fields to delete

  Returns: the updated record as a flat field/value array, or nil when the agent is unknown
  or not in one of the accepted states (nothing changed). pauseReason is deleted unless the
  new state is "paused", before the patch is applied.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = false
local state = redis.call('HGET', KEYS[1], 'state')
if state then
  local n = tonumber(ARGV[4])
  local accepted = false
  for i = 5, 4 + n do
    if ARGV[i] == state then accepted = true break end
  end
  if accepted then
    redis.call('HSET', KEYS[1], 'state', ARGV[2], 'since', ARGV[3])
    if ARGV[2] ~= '"paused"' then redis.call('HDEL', KEYS[1], 'pauseReason') end
    local i = 5 + n
    local m = tonumber(ARGV[i])
    i = i + 1
    for _ = 1, m do
      redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
      i = i + 2
    end
    for j = i, #ARGV do
      redis.call('HDEL', KEYS[1], ARGV[j])
    end
    reply = redis.call('HGETALL', KEYS[1])
  end
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
