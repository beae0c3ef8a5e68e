--[[
  campaign-answer: counts a live answer (and an abandon) in its minute bucket of the rolling
  abandon window, dropping the buckets past the retention (CampaignStore.recordAnswer).

  KEYS[1]  abandon window     {P}:cmp:<id>:aw       (hash: n:<minute>, x:<minute>, ~trim)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  minute bucket of the answer (floor(at / 60000))
  ARGV[3]  '1' if abandoned, '0' if put through
  ARGV[4]  the oldest minute to keep
  ARGV[5]  retention (ms): the key's time to live, so a campaign gone quiet leaves nothing

  Returns: 1. The buckets are trimmed at most once per new minute (~trim holds the last).
]]
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local minute = tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], 'n:' .. ARGV[2], 1)
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'x:' .. ARGV[2], 1) end
local last = tonumber(redis.call('HGET', KEYS[1], '~trim') or '-1')
if minute > last then
  local oldest = tonumber(ARGV[4])
  for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
    if f ~= '~trim' and tonumber(string.sub(f, 3)) < oldest then redis.call('HDEL', KEYS[1], f) end
  end
  redis.call('HSET', KEYS[1], '~trim', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])

if ttl > 0 then redis.call('SET', KEYS[2], '1', 'PX', ttl) end
return 1
