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
  the due set if pending.
]]
--- @include record
--- @include campaign-contact
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[6])
  if done then return cjson.decode(done) end
end

local reply = false
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  local added, merged = 0, 0
  local byStatus = {}
  for i = 3, #ARGV, 5 do
    local id = ARGV[i]
    local old = redis.call('HGET', KEYS[2], id)
    if old then
      redis.call('HSET', KEYS[2], id, record_set(old, 'lines', json_concat(record_get(old, 'lines'), ARGV[i + 2])))
      merged = merged + 1
    else
      local seq = string.format('%d', redis.call('RPUSH', KEYS[3], id))
      redis.call('HSET', KEYS[2], id, ARGV[i + 1] .. 'lines\n' .. ARGV[i + 2] .. '\nseq\n' .. seq .. '\n')
      local status = ARGV[i + 3]
      if status == 'pending' then redis.call('ZADD', KEYS[4], ARGV[i + 4], due_member(seq, id)) end
      byStatus[status] = (byStatus[status] or 0) + 1
      added = added + 1
    end
  end
  for status, n in pairs(byStatus) do redis.call('HINCRBY', KEYS[5], status, n) end
  reply = { added, merged }
end

if ttl > 0 then redis.call('SET', KEYS[6], cjson.encode(reply), 'PX', ttl) end
return reply
