-- expect-exit: 1
-- expect: the policy of USA for decision 'answer' returned 'maybe'; expected one of: yes no
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
decision("answer", { options = { "yes", "no" }, default = "no" })
policy(usa, "answer", function(ctx) return "maybe" end)
at("2026-01-02", function() usa:decide("answer") end)
