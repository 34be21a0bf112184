--- detente.check: the standard library's own table arguments are checked as
-- strictly as the engine's: an unknown field raises, naming the function, the
-- field and the closest known name ("mtth.event: unknown field 'mean_day' (did
-- you mean 'mean_days'?)").
local check = {}

---Edit distance (insertions, deletions, substitutions, swaps of neighbours).
---@param a string
---@param b string
---@return integer
function check.distance(a, b)
  local la, lb = #a, #b
  local prev2, prev = {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    local cur = { [0] = i }
    for j = 1, lb do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      local v = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if i > 1 and j > 1 and a:sub(i, i) == b:sub(j - 1, j - 1)
          and a:sub(i - 1, i - 1) == b:sub(j, j) then
        v = math.min(v, prev2[j - 2] + 1)
      end
      cur[j] = v
    end
    prev2, prev = prev, cur
  end
  return prev[lb]
end

---The closest of names to name, when it is a likely typo (the engine's rule), or nil.
---@param name string
---@param names string[]
---@return string|nil
function check.suggest(name, names)
  local limit = #name <= 4 and 1 or #name <= 8 and 2 or 3
  if limit >= #name then limit = #name - 1 end
  local best, bestd = nil, limit + 1
  for i = 1, #names do
    local d = check.distance(name, names[i])
    if d < bestd then best, bestd = names[i], d end
  end
  return best
end

---Raise when t has a key that is not in names. t may be nil (no options).
---@param t table|nil
---@param fn string the function's name for the message
---@param names string[] the fields it takes
---@param level integer|nil error level (default 3: the caller of fn)
function check.fields(t, fn, names, level)
  if t == nil then return end
  if type(t) ~= "table" then
    error(("%s: expected a table of options, got %s"):format(fn, type(t)), level or 3)
  end
  -- The common case, every field known, without building a set.
  local all = true
  for k in pairs(t) do
    local found = false
    for i = 1, #names do
      if names[i] == k then found = true; break end
    end
    if not found then all = false; break end
  end
  if all then return end
  local known = {}
  for i = 1, #names do known[names[i]] = true end
  local bad = {}
  for k in pairs(t) do
    if not known[k] then bad[#bad + 1] = tostring(k) end
  end
  if #bad == 0 then return end
  table.sort(bad)   -- the first in a fixed order, never pairs order
  local k = bad[1]
  local near = check.suggest(k, names)
  local hint = near and (" (did you mean '" .. near .. "'?)")
      or (" (it takes " .. table.concat(names, ", ") .. ")")
  error(("%s: unknown field '%s'%s"):format(fn, k, hint), level or 3)
end

return check
