-- expect-exit: 1
-- expect: wait_outside_process.lua:4: wait: only a process can wait; start one with spawn(function() ... end)
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-01-02", function() wait(days(1)) end)
