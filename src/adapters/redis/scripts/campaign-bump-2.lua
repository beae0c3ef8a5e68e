--[[
  campaign-bump: adds to named counters of a campaign's statistics (CampaignStore.bump).

  KEYS[1]  statistics         {P}:cmp:<id>:stats    (hash of counters)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2..] pairs: counter name, integer to add (the field is c:<name>)

  Returns: 1, once per call whatever the replays.
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], 'c:' .. ARGV[i], ARGV[i + 1]) end

if ttl > 0 then redis.call('SET', KEYS[2], '1', 'PX', ttl) end
return 1
