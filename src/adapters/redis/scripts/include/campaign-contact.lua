-- Campaign records (scripts/campaign-*.lua): contacts and campaigns are record strings of
-- "name\nvalue\n" lines (codec.ts, as include/record.lua reads them) whose array overlays
-- (lines, outcomes, history) are JSON arrays edited as text, so Lua never decodes a record and
-- every number keeps its digits. The rec_* helpers find a field with a plain string.find
-- (memchr speed) instead of a Lua pattern tried at every position: the claim and completion
-- scripts touch several fields of each contact.

-- Where field's line is: the first character of its name, of its value, and the value's newline.
local function rec_span(r, field)
  local key = field .. '\n'
  local i = 1
  if string.sub(r, 1, #key) ~= key then
    i = string.find(r, '\n' .. key, 1, true)
    if not i then return nil end
    i = i + 1
  end
  local v = i + #key
  return i, v, string.find(r, '\n', v, true)
end

-- The value of a field (nil if absent).
local function rec_get(r, field)
  local _, v, e = rec_span(r, field)
  if not v then return nil end
  return string.sub(r, v, e - 1)
end

-- The record without a field.
local function rec_without(r, field)
  local i, _, e = rec_span(r, field)
  if not i then return r end
  return string.sub(r, 1, i - 1) .. string.sub(r, e + 1)
end

-- The record with a field set (moved to the end).
local function rec_set(r, field, value)
  return rec_without(r, field) .. field .. '\n' .. value .. '\n'
end

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
