--[[
  agent-transition: compare-and-set of an agent's state (AgentStore.transition). Only one
  caller can move an agent out of a given state: an agent is claimed by at most one call.

  KEYS[1]  agents             {P}:a          (hash: agent id -> agent record, codec.ts)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  agent id
  ARGV[3]  the new state, JSON-encoded (e.g. "\"reserved\"")
  ARGV[4]  the time of the change, JSON-encoded (stored as `since`)
  ARGV[5]  n, the number of accepted current states
  ARGV[6 .. 5+n]   the accepted current states, JSON-encoded
  ARGV[6+n ..]     the patch: overlay field, JSON value pairs ('' = absent)

  Returns: the updated record (codec.ts), or nil when the agent is unknown or not in one of
  the accepted states (nothing changed). pauseReason is dropped unless the new state is
  "paused", before the patch is applied (it is only ever an overlay, never inside ~j).
]]
--- @include record
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = false
local r = redis.call('HGET', KEYS[1], ARGV[2])
if r then
  local state = record_get(r, 'state')
  local n = tonumber(ARGV[5])
  local accepted = false
  for i = 6, 5 + n do
    if ARGV[i] == state then accepted = true break end
  end
  if accepted then
    r = record_set(record_set(r, 'state', ARGV[3]), 'since', ARGV[4])
    if ARGV[3] ~= '"paused"' then r = record_without(r, 'pauseReason') end
    for i = 6 + n, #ARGV - 1, 2 do
      r = record_set(r, ARGV[i], ARGV[i + 1])
    end
    redis.call('HSET', KEYS[1], ARGV[2], r)
    reply = r
  end
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
