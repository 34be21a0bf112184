-- expect-exit: 1
-- expect: emit: events nested more than 32 deep (hooks emitting in a cycle?)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a = state { id = "A" }
on("ping", function() emit { kind = "ping", by = a } end)
at("2026-01-02", function() emit { kind = "ping", by = a } end)
