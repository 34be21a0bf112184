-- expect-exit: 1
-- expect: malformed_date.lua:4: bad argument #1 to 'at' (malformed date '2026-02-30' (expected YYYY-MM-DD, e.g. 2026-02-05))
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-02-30", function() end)
