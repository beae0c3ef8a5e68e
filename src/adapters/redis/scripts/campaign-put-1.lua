--[[
  campaign-put: creates a campaign or replaces its configuration (CampaignStore.put).

  KEYS[1]  campaigns          {P}:cmp    (hash: campaign id -> campaign record)

  ARGV[1]  campaign id
  ARGV[2]  the new campaign's record ("~j\n<config JSON>\nstatus\n\"draft\"\nhistory\n[...]\n...")
  ARGV[3]  the config JSON alone

  Returns: 1 if created, 0 if the config of an existing campaign was replaced (its status,
  history and creation time kept). Idempotent by itself: a replay writes the same config.
]]
--- @include campaign-contact
local r = redis.call('HGET', KEYS[1], ARGV[1])
if r then
  redis.call('HSET', KEYS[1], ARGV[1], rec_set(r, '~j', ARGV[3]))
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
