--[[
  campaign-scan: a page of a campaign's contacts in insertion order (CampaignStore.scan).

  KEYS[1]  insertion order    {P}:cmp:<id>:order    (list of contact ids)
  KEYS[2]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)

  ARGV[1]  the position to start from (0-based)
  ARGV[2]  how many

  Returns: {length of the list, record, record, ...}: the caller's next cursor is the start
  plus the records returned, finished once it reaches the length. Contacts are never removed,
  so positions are stable while an import appends. HMGET in chunks of 1000 (Lua's unpack limit).
]]
local start = tonumber(ARGV[1])
local ids = redis.call('LRANGE', KEYS[1], start, start + tonumber(ARGV[2]) - 1)
local out = { redis.call('LLEN', KEYS[1]) }
for i = 1, #ids, 1000 do
  for _, r in ipairs(redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))) do out[#out + 1] = r end
end
return out
