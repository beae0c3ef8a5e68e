--[[
  campaign-status: sets a campaign's status, appending it to the history (CampaignStore.setStatus).

  KEYS[1]  campaigns          {P}:cmp    (hash: campaign id -> campaign record)
  KEYS[2]  replay guard       {P}:op:<opId>

  ARGV[1]  guard TTL in ms ('0' = no guard)
  ARGV[2]  campaign id
  ARGV[3]  the new status (plain word, e.g. running)
  ARGV[4]  at (ms, decimal)
  ARGV[5]  '-' for any current status, or how many allowed ones follow
  ARGV[6..] the allowed current statuses (plain words)

  Returns: the campaign record, or nil if there is no such campaign or its status is not an
  allowed one. The status it already has changes nothing (no history entry).
]]
--- @include campaign-contact
local ttl = tonumber(ARGV[1])
if ttl > 0 then
  local done = redis.call('GET', KEYS[2])
  if done then return cjson.decode(done) end
end

local reply = false
local r = redis.call('HGET', KEYS[1], ARGV[2])
if r then
  local cur = rec_get(r, 'status')
  local ok = ARGV[5] == '-'
  if not ok then
    for i = 6, 5 + tonumber(ARGV[5]) do
      if cur == '"' .. ARGV[i] .. '"' then ok = true end
    end
  end
  if ok then
    local want = '"' .. ARGV[3] .. '"'
    if cur ~= want then
      local entry = '{"status":' .. want .. ',"at":' .. ARGV[4] .. '}'
      r = rec_set(rec_set(r, 'status', want), 'history', json_append(rec_get(r, 'history'), entry))
      redis.call('HSET', KEYS[1], ARGV[2], r)
    end
    reply = r
  end
end

if ttl > 0 then redis.call('SET', KEYS[2], cjson.encode(reply), 'PX', ttl) end
return reply
