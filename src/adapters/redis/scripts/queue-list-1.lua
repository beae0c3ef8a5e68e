--[[
  queue-list: a section's entries in service order, read in one step (QueueStore.list).

  KEYS[1]  section queue      {P}:q:<section>   (sorted set)

  ARGV[1]  entry key prefix   {P}:e:   (keys.ts: entry(callId) = prefix .. callId)

  Returns: an array with, per member in ZRANGE order, the entry hash as a flat field/value
  array. The member's call id is everything after its first 32 characters (see enqueue-4).
]]
local out = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local entry = redis.call('HGETALL', ARGV[1] .. string.sub(member, 33))
  if #entry > 0 then out[#out + 1] = entry end
end
return out
