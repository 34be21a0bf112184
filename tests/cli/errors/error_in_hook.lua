-- expect-exit: 1
-- expect: error_in_hook.lua:6: the talks collapsed
-- expect: at simulated date 2026-02-01, while handling proposal.rejected
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
on("proposal.rejected", function(ev) error("the talks collapsed") end)
at("2026-02-01", function() rus:propose { to = usa, kind = "talks" }:reject() end)
