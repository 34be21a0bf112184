-- many_problems.lua: several problems, all reported in one go.
-- expect-exit: 1
-- expect: many_problems.lua:12: decision 'answer' is declared but no state has a policy for it: in run and mc it always takes its default 'no'
-- expect: USA was asked decision 'answer' but has no policy for it: the default 'no' applied
-- expect: many_problems.lua:10: param 'p_unused' is never read (no param.p_unused in 8 smoke runs, and the value param() returns is dropped)
-- expect: outcome 'never' was nil in all 8 smoke runs
-- expect-problems: 4
scenario { title = "check: many problems", start = "2026-01-01", stop = "2026-06-30" }
local usa = state { id = "USA" }
param("p_unused", 0.5, "declared, never read")
param("p_read", 2, "read below")
decision("answer", { options = { "no", "yes" } })
at("2026-02-01", function()
  local _ = param.p_read
  usa:decide("answer")
end)
outcome("never", function() return nil end)
outcome("always", function() return 1 end)
