-- expect-exit: 1
-- expect: decide_in_setup.lua:7: decide: USA:decide("answer") during the scenario's setup; ask decisions from a hook or a process
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
decision("answer", { options = { "yes", "no" } })
policy(usa, "answer", "yes")
local a = usa:decide("answer")
