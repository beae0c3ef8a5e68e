-- Campaign records (scripts/campaign-*.lua): contacts and campaigns are record strings
-- (include/record.lua) whose array overlays (lines, outcomes, history) are JSON arrays edited
-- as text, so Lua never decodes a record and every number keeps its digits.

-- Appends one JSON value to a JSON array ('[]' or absent for an empty one).
local function json_append(arr, value)
  if not arr or arr == '[]' then return '[' .. value .. ']' end
  return string.sub(arr, 1, -2) .. ',' .. value .. ']'
end

-- Concatenates two JSON arrays.
local function json_concat(a, b)
  if not a or a == '[]' then return b end
  if b == '[]' then return a end
  return string.sub(a, 1, -2) .. ',' .. string.sub(b, 2)
end

-- The member of a contact in the due sorted set: its seq as 16 zero-padded digits, then its id
-- (equal nextAt scores sort bytewise, that is by seq).
local function due_member(seq, id)
  return string.rep('0', 16 - #seq) .. seq .. id
end

-- Adds n (negative to take) to an engine's in-flight count, dropping the field at zero.
local function engine_add(key, engine, n)
  if redis.call('HINCRBY', key, engine, n) <= 0 then redis.call('HDEL', key, engine) end
end
