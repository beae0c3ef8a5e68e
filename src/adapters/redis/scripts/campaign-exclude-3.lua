--[[
  campaign-exclude: contacts that must never be called (consent refused on a later row or a
  later list) get consent false; a pending one leaves the due set as 'excluded'
  (CampaignStore.excludeContacts). A contact being dialed keeps its status (the dialer checks
  consent again before any further attempt); a done or failed one keeps its status.

  KEYS[1]  contacts           {P}:cmp:<id>:c        (hash: contact id -> contact record)
  KEYS[2]  due contacts       {P}:cmp:<id>:due      (sorted set: nextAt, <seq 16 digits><id>)
  KEYS[3]  counts by status   {P}:cmp:<id>:n        (hash: status -> count)

  ARGV[1]  a contact id, and ARGV[2..n] more of them

  Returns: how many contacts changed. Idempotent by itself: a replay changes nothing more.
]]
--- @include campaign-contact
local changed = 0
for _, id in ipairs(ARGV) do
  local r = redis.call('HGET', KEYS[1], id)
  if r then
    local status = rec_get(r, 'status')
    local before = r
    r = rec_set(r, 'consent', 'false')
    if status == '"pending"' then
      redis.call('ZREM', KEYS[2], due_member(rec_get(r, 'seq'), id))
      r = rec_set(r, 'status', '"excluded"')
      redis.call('HINCRBY', KEYS[3], 'pending', -1)
      redis.call('HINCRBY', KEYS[3], 'excluded', 1)
    end
    if rec_get(before, 'consent') ~= 'false' or status == '"pending"' then
      redis.call('HSET', KEYS[1], id, r)
      changed = changed + 1
    end
  end
end
return changed
