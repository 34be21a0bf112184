-- hostile: table.insert(t, 1, v) and table.remove(t, 1) shift #t elements in a
-- C loop, and table.sort compares in C: with a __len that says 2^62 (or 2^31
-- and a C function as __index) they ran for hours (30 s timeout with
-- --max-seconds 3), no limit seeing them. insert/remove are the engine's own
-- now (Lua's results and messages; tests/lua/sandbox_table.lua) and charge an
-- instruction per shift; sort is charged n log2 n up front. One attack a run.
-- cmd: mc --runs 1 --sweep case=1,2,3
-- exit: 4
-- message: 3 of 3 runs failed
-- seconds: 10
-- rss-mib: 100
scenario { title = "C loops behind __len", start = "2026-01-01", stop = "2026-01-02" }
param("case", 1, "which attack")
local huge = { __len = function() return math.maxinteger - 1 end }
if param.case == 1 then table.insert(setmetatable({}, huge), 1, "x")
elseif param.case == 2 then table.remove(setmetatable({}, huge), 1)
else
  table.sort(setmetatable({}, { __len = function() return (1 << 31) - 2 end, __index = rawlen }))
end
error("not stopped")
