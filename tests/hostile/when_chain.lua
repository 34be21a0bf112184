-- hostile: when() hooks whose predicate is always true, each adding the next
-- and emitting, at one simulated instant.
-- exit: 4
-- message: event limit exceeded
-- seconds: 20
-- rss-mib: 150
scenario { title = "when", start = "2026-01-01", stop = "2026-02-01" }
local function chain()
  when(function() return true end, chain)
  after(seconds(0), function() emit { kind = "tick" } end)
end
chain()
