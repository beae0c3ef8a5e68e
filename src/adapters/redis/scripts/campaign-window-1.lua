--[[
  campaign-window: live answers and abandons in the rolling abandon window
  (CampaignStore.abandonWindow).

  KEYS[1]  abandon window     {P}:cmp:<id>:aw       (hash: n:<minute>, x:<minute>, ~trim)

  ARGV[1]  the first minute bucket inside the window

  Returns: {answers, abandons} summed over the buckets from ARGV[1] on. Read only.
]]
local lo = tonumber(ARGV[1])
local answers, abandons = 0, 0
local kv = redis.call('HGETALL', KEYS[1])
for i = 1, #kv, 2 do
  local f = kv[i]
  if f ~= '~trim' and tonumber(string.sub(f, 3)) >= lo then
    if string.sub(f, 1, 1) == 'n' then answers = answers + tonumber(kv[i + 1]) else abandons = abandons + tonumber(kv[i + 1]) end
  end
end
return { answers, abandons }
