-- Records (queue entries, agents) are strings of "field\nvalue\n" pairs (codec.ts): field ~j
-- holds the record's JSON, the others are overlays (JSON, or '' for absent). JSON, decimal
-- numbers and field names never contain a raw newline, so every line is a whole name or value
-- and a name is found as "\n<name>\n" with a newline prepended to the record.
local function record_pattern(field)
  return '\n' .. string.gsub(field, '%p', '%%%0') .. '\n'
end
local function record_get(r, field)
  return string.match('\n' .. r, record_pattern(field) .. '([^\n]*)\n')
end
local function record_without(r, field)
  return string.sub((string.gsub('\n' .. r, record_pattern(field) .. '[^\n]*\n', '\n', 1)), 2)
end
local function record_set(r, field, value)
  return record_without(r, field) .. field .. '\n' .. value .. '\n'
end
