-- expect-exit: 1
-- expect: Test treaty: cannot go from expired to in_force
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a, b = state { id = "A" }, state { id = "B" }
metric { name = "warheads", terms = { { categories = "*", count = "warheads" } } }
local t = treaty { id = "t", name = "Test treaty", parties = { a, b }, limits = { { metric = "warheads", max = 10 } },
                   in_force = "2025-01-01", expires = "2026-02-01" }
at("2026-02-10", function() t:resume() end)
