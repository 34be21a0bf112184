-- expect-exit: 1
-- expect: wrong_type.lua:4: bad argument #1 to 'after' (duration (e.g. days(30), months(1)) expected, got number)
scenario { start = "2026-01-01", stop = "2026-03-01" }
after(30, function() end)
