-- expect-exit: 1
-- expect: a hook yielded outside wait(), wait_for() or decide()
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-01-02", function() coroutine.yield() end)
