-- hostile: a pattern bomb with the instruction limit off: the CPU-time
-- watchdog stops the matcher.
-- args: --max-instructions 0 --max-seconds 1
-- exit: 4
-- message: time limit exceeded
-- seconds: 30
-- rss-mib: 100
scenario { title = "bomb", start = "2026-01-01", stop = "2026-02-01" }
at("2026-01-02", function() return string.find(("a"):rep(60), (".-"):rep(8) .. "b") end)
