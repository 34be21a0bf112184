-- expect-exit: 1
-- expect: unknown_state.lua:5: bad argument #1 to 'state' (unknown state 'XYZ' (known: USA))
scenario { start = "2026-01-01", stop = "2026-03-01" }
state { id = "USA" }
state("XYZ")
