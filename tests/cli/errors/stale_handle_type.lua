-- expect-exit: 1
-- expect: bad argument #1 to 'accept' (detente.Proposal expected, got detente.State)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a, b = state { id = "A" }, state { id = "B" }
local p = a:propose { to = b, kind = "talks" }
p.accept(a)
