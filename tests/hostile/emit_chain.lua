-- hostile: handlers that emit two events for each one they receive, swallowing
-- the nesting error with pcall: a tree of 2^32 deliveries at one instant.
-- exit: 4
-- message: event limit exceeded
-- seconds: 20
-- rss-mib: 150
scenario { title = "emit", start = "2026-01-01", stop = "2026-02-01" }
on("boom", function() pcall(emit, { kind = "boom" }); pcall(emit, { kind = "boom" }) end)
at("2026-01-05", function() emit { kind = "boom" } end)
