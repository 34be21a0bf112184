-- expect-exit: 1
-- expect: policy_recursion.lua:6: decide: A:decide("d") from code that cannot wait (a policy, metric, when() predicate, outcome or a coroutine of the script's own); ask from a hook or a process
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a = state { id = "A" }
decision("d", { options = { "x", "y" } })
policy(a, "d", function() return a:decide("d") end)
at("2026-01-02", function() a:decide("d") end)
