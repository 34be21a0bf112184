-- partial_policies.lua: one state has a policy, the other is asked without one.
-- expect-exit: 1
-- expect: RUS was asked decision 'answer' but has no policy for it: the default 'no' applied (give it one with policy(RUS, "answer", ...))
-- expect-problems: 1
scenario { title = "check: partial policies", start = "2026-01-01", stop = "2026-06-30" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
decision("answer", { options = { "no", "yes" } })
policy(usa, "answer", "yes")
at("2026-02-01", function() usa:decide("answer"); rus:decide("answer") end)
