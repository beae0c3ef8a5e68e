--[[
  campaign-add: adds a batch of contacts to a campaign, merging duplicates (CampaignStore.addContacts).

  KEYS[1]  campaigns          {P}:cmp               (hash: campaign id -> campaign record)
  KEYS[2]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[3]  insertion order    {P}:cmp:<id>:order    (list of contact ids)
  KEYS[4]  due contacts       {P}:cmp:<id>:due      (sorted set: nextAt, <seq 16 digits><id>)
  KEYS[5]  counts by status   {P}:cmp:<id>:n        (hash: status -> count)
  KEYS[6]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  campaign id
  ARGV[3..] five per contact: id, record without lines and seq, lines (JSON array),
           status (plain word), nextAt (ms, decimal)

  Returns: {added, merged}, or nil if the campaign does not exist (nothing written).
  A contact whose id is stored already (or came earlier in the batch) keeps its record and gets
  the lines appended. A new one gets seq = its position in the order list + 1, and a place in
  the due set if pending. The batch is read with HMGET and written with one HSET, RPUSH and
  ZADD per 1000 contacts, not five commands per contact.
]]
--- @include campaign-contact
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[6])
  if done then return cjson.decode(done) end
end

local reply = false
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  local n = (#ARGV - 2) / 5
  local ids = {}
  for i = 1, n do ids[i] = ARGV[3 + (i - 1) * 5] end
  -- the records stored before this batch (false: none)
  local old = {}
  for i = 1, n, 1000 do
    for j, r in ipairs(redis.call('HMGET', KEYS[2], unpack(ids, i, math.min(i + 999, n)))) do old[i + j - 1] = r end
  end
  local records, newIds, due, byStatus = {}, {}, {}, {}
  local base = redis.call('LLEN', KEYS[3])
  local added, merged = 0, 0
  for i = 1, n do
    local a = 3 + (i - 1) * 5
    local id = ids[i]
    local cur = records[id] or old[i]
    if cur then
      records[id] = rec_set(cur, 'lines', json_concat(rec_get(cur, 'lines'), ARGV[a + 2]))
      merged = merged + 1
    else
      added = added + 1
      local seq = string.format('%d', base + added)
      records[id] = ARGV[a + 1] .. 'lines\n' .. ARGV[a + 2] .. '\nseq\n' .. seq .. '\n'
      newIds[added] = id
      local status = ARGV[a + 3]
      if status == 'pending' then
        due[#due + 1] = ARGV[a + 4]
        due[#due + 1] = due_member(seq, id)
      end
      byStatus[status] = (byStatus[status] or 0) + 1
    end
  end
  -- the writes, a few commands per 1000 contacts (Lua's unpack limit)
  local fields = {}
  for id, r in pairs(records) do
    fields[#fields + 1] = id
    fields[#fields + 1] = r
  end
  for i = 1, #fields, 2000 do redis.call('HSET', KEYS[2], unpack(fields, i, math.min(i + 1999, #fields))) end
  for i = 1, #newIds, 1000 do redis.call('RPUSH', KEYS[3], unpack(newIds, i, math.min(i + 999, #newIds))) end
  for i = 1, #due, 2000 do redis.call('ZADD', KEYS[4], unpack(due, i, math.min(i + 1999, #due))) end
  for status, k in pairs(byStatus) do redis.call('HINCRBY', KEYS[5], status, k) end
  reply = { added, merged }
end

if ttl > 0 then redis.call('SET', KEYS[6], cjson.encode(reply), 'PX', ttl) end
return reply
