-- expect-exit: 1
-- expect: unknown decision 'answr' (did you mean 'answer'?)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
decision("answer", { options = { "yes", "no" } })
at("2026-01-02", function() usa:decide("answr") end)
