-- hostile: an endless loop with the instruction limit switched off: the CPU-time
-- watchdog stops the run.
-- args: --max-instructions 0 --max-seconds 1
-- exit: 4
-- message: time limit exceeded
-- seconds: 30
-- rss-mib: 100
scenario { title = "loop", start = "2026-01-01", stop = "2026-02-01" }
at("2026-01-02", function() while true do end end)
