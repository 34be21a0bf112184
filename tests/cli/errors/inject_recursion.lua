-- expect-exit: 1
-- expect: hooks nested too deeply (C stack overflow)
scenario { start = "2026-01-01", stop = "2026-03-01" }
inject("echo", function() fire("echo") end)
at("2026-01-02", function() fire("echo") end)
