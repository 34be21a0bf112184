-- expect-exit: 1
-- expect: wrong_type.lua:4: bad argument #1 to 'after' (duration (e.g. days(30), months(1), or a number of days) expected, got string)
scenario { start = "2026-01-01", stop = "2026-03-01" }
after("30 days", function() end)
