-- hostile: `__mode` added to a metatable after setmetatable. Lua reads __mode
-- when it collects, so the table became weak anyway, and which entries a run
-- kept depended on when the collector ran (which depends on the runs before
-- it in the worker). The sandbox installs a copy of the metatable that no
-- script can reach: what is added to the script's table later changes nothing.
-- cmd: mc --runs 3 --threads 1
-- exit: 1
-- message: setmetatable: __mode is not available in the sandbox (weak tables)
-- seconds: 20
-- rss-mib: 200
scenario { title = "late mode", start = "2026-01-01", stop = "2026-02-01" }
local mt = {}
local keys = setmetatable({}, mt)
local values = setmetatable({}, mt)
assert(getmetatable(keys) == mt, "getmetatable gives the script's own table")
mt.__mode = "kv"
rawset(mt, "__mode", "kv")
for i = 1, 1000 do keys[{}] = i; values[i] = {} end
-- garbage enough for several collections
local junk
for i = 1, 200000 do junk = { i, tostring(i) } end
local n = 0
for _ in pairs(keys) do n = n + 1 end
assert(n == 1000, "weak keys: " .. n .. " of 1000 left")
n = 0
for i = 1, 1000 do if values[i] then n = n + 1 end end
assert(n == 1000, "weak values: " .. n .. " of 1000 left")
setmetatable({}, mt)   -- now it has __mode: refused
