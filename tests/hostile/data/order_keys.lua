-- pairs over keys that are objects never shown before (order_keys.sh): the
-- order must be the run's own, not the allocator's. Each run first makes a
-- random amount of garbage (so the worker's earlier runs leave the allocator,
-- and so the addresses, in another state), then walks tables keyed by
-- tables, closures, coroutines, state handles, library functions, a shared
-- standard-library module's functions and a data file's rows.
scenario { title = "order of object keys", start = "2026-01-01", stop = "2026-01-10" }
local junk = {}
for i = 1, rng.int(1, 5000) do junk[i % 101] = { i } end
for i = 1, rng.int(1, 500) do junk[i % 13] = function() return i end end
junk = nil
local ids = { "USA", "RUS", "CHN", "GBR", "FRA", "IND", "PAK", "ISR", "PRK" }
local states = {}
for i, id in ipairs(ids) do states[i] = state { id = id } end

local out = {}
local function walk(name, t)
  local vals = {}
  for _, v in pairs(t) do vals[#vals + 1] = tostring(v) end
  out[#out + 1] = name .. ": " .. table.concat(vals, ",")
end

local tabs = {}
for i = 1, 40 do tabs[{ n = i }] = i end
walk("tables", tabs)
local fns = {}
for i = 1, 40 do fns[function() return i end] = i end
walk("closures", fns)
local cos = {}
for i = 1, 12 do cos[coroutine.create(function() return i end)] = i end
walk("coroutines", cos)
local by_state = {}
for i = #states, 1, -1 do by_state[states[i]] = states[i].id end
walk("states", by_state)
local lib = { [string.upper] = "upper", [string.lower] = "lower", [math.floor] = "floor",
              [table.concat] = "concat", [print] = "print", [tostring] = "tostring",
              [pairs] = "pairs", [string.format] = "format", [math.max] = "max" }
walk("library", lib)
local moves = require "detente.moves"
local mod = {}
for k, v in pairs(moves) do if type(v) == "function" then mod[v] = k end end
walk("module", mod)
local rows = data.json("order_keys/rows.json")
local by_row = {}
for i = 1, #rows do by_row[rows[i]] = i end
walk("data", by_row)
-- mixed: all kinds in one table, made in an order of their own
local mixed = {}
mixed[states[3]] = "s3"; mixed[{}] = "t1"; mixed[print] = "print"; mixed[rows[2]] = "row2"
mixed[function() end] = "f1"; mixed[coroutine.create(print)] = "co"; mixed[{}] = "t2"
mixed[moves.offer or print] = "m"
walk("mixed", mixed)
-- coroutines the engine runs hooks in (pooled, kept between runs)
local hooks = {}
for d = 1, 3 do
  after(days(d), function()
    hooks[coroutine.running()] = d
    local inner = {}
    for i = 1, 5 do inner[{}] = i end
    hooks[inner] = "inner" .. d
  end)
end
outcome("seen", function()
  walk("hooks", hooks)
  return table.concat(out, "\n")
end)
