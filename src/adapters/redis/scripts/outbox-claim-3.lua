--[[
  outbox-claim: the heads of the escalations whose outbox is due, oldest due first, each hidden
  from other claimers for a lease (EscalationOutbox.claimDue).

  KEYS[1]  outbox due         {P}:xd
  KEYS[2]  outbox             {P}:xo
  KEYS[3]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  now (ms)
  ARGV[3]  at most this many
  ARGV[4]  lease (ms)

  Returns: the claimed head items, JSON each. Ties on due time go by escalation id.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[3])
  if done then return cjson.decode(done) end
end

local now = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local pending = redis.call('HGET', KEYS[2], id)
  if pending then
    local items = cjson.decode(pending)
    if items[1] then
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), id)
      out[#out + 1] = cjson.encode(items[1])
    end
  else
    redis.call('ZREM', KEYS[1], id)
  end
end

if ttl > 0 then redis.call('SET', KEYS[3], cjson.encode(out), 'PX', ttl) end
return out
