-- hostile: a run with 52 MiB live at --max-memory 64 that churns big strings
-- through string.rep, table.concat, string.format and gsub. Those grow their
-- buffer with the allocator directly, without the collection Lua makes before
-- it gives up: the garbage of the strings before (not yet collected) stopped
-- the run, or not, depending on when the collector had last run. A buffer that
-- would pass the limit now gets a full collection first; the run is within it.
-- Peak RSS: what the limit counts peaks at 68 MiB (the limit and its 4 MiB of
-- slack); glibc keeps freed 1 MB blocks in its heap, ~20 MiB more.
-- args: --max-memory 64 --max-instructions 0
-- exit: 1
-- message: reached the end within the limit
-- seconds: 30
-- rss-mib: 100
scenario { title = "memory churn", start = "2026-01-01", stop = "2026-01-02" }
live = {}
for i = 1, 520 do live[i] = ("x"):rep(100000) .. i end     -- ~52 MiB live
local s
for i = 1, 300 do s = ("y"):rep(1000000 + i) end
local parts = {}
for i = 1, 10 do parts[i] = ("z"):rep(100000) .. i end
for i = 1, 100 do s = table.concat(parts) end
for i = 1, 100 do s = string.format("%s%s%d", parts[1], parts[2], i) end
for i = 1, 50 do s = parts[3]:gsub("z", "w") end
error("reached the end within the limit")
