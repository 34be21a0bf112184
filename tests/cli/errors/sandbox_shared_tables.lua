-- expect-exit: 1
-- expect: cannot modify the shared library table (field 'upper')
scenario { start = "2026-01-01", stop = "2026-03-01" }
string.upper = nil
