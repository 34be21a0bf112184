-- isolation.lua: tries every channel we know to carry state from one run to
-- the next in the same worker, and reports what it found from earlier runs.
-- The outcome `seen` must be empty in every run; mc with 1 and 2 threads and
-- `run --seed` must agree byte for byte.
scenario { title = "isolation", start = "2026-01-01", stop = "2026-03-01" }
local s = state { id = "A", name = "A" }
local seen = {}
local function saw(what) seen[#seen + 1] = what end
local function try(f, ...) return pcall(f, ...) end
local function get(t, k) local ok, v = pcall(function() return t[k] end); return ok and v or nil end

-- Look for what earlier runs left behind.
if get(string, "leak") then saw("string") end
if get(math, "leak") then saw("math") end
if get(table, "leak") then saw("table") end
if get(coroutine, "leak") then saw("coroutine") end
if get(os, "leak") then saw("os") end
if get(rng, "leak") then saw("rng") end
if get(data, "leak") then saw("data") end
if get(("x"), "leak") then saw("string-mt") end
if rawget(_G, "leak") ~= nil or leak ~= nil then saw("global") end
if get(s, "leak") then saw("handle-attr") end
if get(param, "leak") then saw("param") end
if require("isolation_mod").bump() ~= 1 then saw("module") end
if get(months(1), "leak") then saw("duration") end

-- Leave things behind, every way we can think of (each may be refused).
try(rawset, string, "leak", true); try(function() string.leak = true end)
try(rawset, math, "leak", true); try(function() math.leak = true end)
try(rawset, table, "leak", true); try(rawset, coroutine, "leak", true)
try(rawset, os, "leak", true); try(rawset, rng, "leak", true); try(rawset, data, "leak", true)
try(rawset, param, "leak", true)
try(function() getmetatable("").__index.leak = true end)
try(function() rawset(getmetatable(_G).__index, "leak", true) end)
try(function() getmetatable(s).__index = function() return true end end)
try(function() getmetatable(months(1)).__index = function() return true end end)
try(setmetatable, {}, { __gc = function() string.leak = true; stop("leaked") end })
try(setmetatable, {}, { __mode = "k" })
-- pairs() on a library used to hand out the shared table behind it
for _, lib in ipairs({ string, math, table, coroutine, os, rng, data, utf8, debug, dist }) do
  try(function() local _, t = pairs(lib); rawset(t, "leak", true) end)
  try(function() local _, t = pairs(lib); t.leak = true end)
end
-- metamethods added after setmetatable: a weak table (GC timing) and a finalizer
local late = {}
local weak = setmetatable({}, late)
late.__mode = "k"
late.__gc = function() string.leak = true; stop("leaked") end
for i = 1, 100 do weak[{}] = i end
local junk
for i = 1, 20000 do junk = { i } end
leak = true
s.attrs.leak = true   -- a new attribute goes in .attrs (issue 13)
spawn(function() while true do wait(days(1)); try(function() string.leak = true end) end end)
local co = coroutine.create(function()
  coroutine.yield(); try(function() string.leak = true end)
end)
coroutine.resume(co)
every(days(3), function() try(function() math.leak = true end) end)

outcome("seen", function()
  local n = 0
  for _ in pairs(weak) do n = n + 1 end
  if n ~= 100 then saw("weak:" .. n) end
  return table.concat(seen, ",")
end)
outcome("draw", function() return rng.uniform(0, 1) end)
outcome("when", function() return tostring(now()) end)
