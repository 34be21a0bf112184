-- hostile: a run near its memory limit with garbage to collect. An allocation
-- over the limit makes Lua collect everything and ask again; when that retry
-- fitted, the engine still counted a limit hit: every later xpcall handler was
-- skipped and the run's next error became "memory limit exceeded" (exit 4).
-- Whether that happened depended on when the collector had last run, which the
-- worker's earlier runs decide. A retry that fits is no hit now.
-- args: --max-memory 64 --max-instructions 0
-- exit: 1
-- message: the script's own error, after an emergency collection
-- seconds: 20
-- rss-mib: 80
scenario { title = "memory retry", start = "2026-01-01", stop = "2026-01-02" }
local live = {}
for i = 1, 380 do live[i] = ("x"):rep(100000) .. i end     -- ~38 MiB live
local junk
for i = 1, 300000 do junk = { i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7 } end
local handled = false
xpcall(function() error("mine") end, function(m) handled = true; return m end)
assert(handled, "the xpcall handler was skipped")
error("the script's own error, after an emergency collection")
