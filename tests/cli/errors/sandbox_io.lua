-- expect-exit: 1
-- expect: sandbox_io.lua:4: attempt to index a nil value (global 'io')
scenario { start = "2026-01-01", stop = "2026-03-01" }
io.open("/tmp/x", "w")
