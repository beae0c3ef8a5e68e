--[[
  queue-list: a section's entries in service order, read in one step (QueueStore.list).

  KEYS[1]  section queue      {P}:q:<section>   (sorted set)
  KEYS[2]  entries            {P}:e      (hash: callId -> entry record)

  ARGV[1]  the last rank to read (ZRANGE stop): -1 for the whole queue, n - 1 for its first n

  Returns: the entry records (codec.ts), in ZRANGE order. A member's call id is everything
  after its first 32 characters (see enqueue-6). The records are read with HMGET in chunks of
  1000 fields (Lua's unpack limit): a few calls for a national queue instead of one per entry.
]]
local ids = {}
for i, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1] or '-1'))) do
  ids[i] = string.sub(member, 33)
end
local out = {}
for i = 1, #ids, 1000 do
  for _, r in ipairs(redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))) do
    if r then out[#out + 1] = r end
  end
end
return out
