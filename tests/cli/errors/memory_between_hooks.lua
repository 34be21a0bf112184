-- args: --max-memory 16
-- expect-exit: 4
-- expect: memory limit exceeded: the run took more than 16 MiB
-- expect: at simulated date 2026-01-
-- A table that grows every day: the limit is found as a hook is about to start,
-- with no traceback; the message has no empty line where one would stand.
scenario { start = "2026-01-01", stop = "2026-03-01" }
local keep = {}
every(1, function()
  for i = 1, 20000 do keep[#keep + 1] = { i } end
end)
