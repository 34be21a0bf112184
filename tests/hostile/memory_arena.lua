-- hostile: what the engine keeps in the run's arena (system names, metric and
-- decision texts) lived outside --max-memory. It counts now: 1 MB names, one
-- system after another, stop at the limit.
-- args: --max-memory 64 --max-instructions 0 --max-seconds 60
-- exit: 4
-- message: memory limit exceeded
-- seconds: 30
-- rss-mib: 80
scenario { title = "arena", start = "2026-01-01", stop = "2026-02-01" }
local a = state { id = "A", name = "A" }
local big = ("x"):rep(1000000)
for i = 1, 1000 do
  a:system { name = big .. i, category = "ICBM", deployed = 1, warheads = 1 }
end
