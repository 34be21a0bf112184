-- hostile: 10^8 scheduled events: the event queue lived outside the memory
-- limit (a 256 MiB limit let a run reach 603 MiB). Queue entries in use and
-- the run's arena now count against --max-memory.
-- args: --max-memory 64 --max-instructions 0 --max-seconds 60
-- exit: 4
-- message: memory limit exceeded
-- seconds: 30
-- rss-mib: 80
scenario { title = "events", start = "2026-01-01", stop = "2027-01-01" }
local function f() end
for i = 1, 1e8 do after(days(i % 300 + 1), f) end
