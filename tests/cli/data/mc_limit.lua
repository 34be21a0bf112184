-- mc_limit.lua: some runs loop forever and hit the instruction limit
-- (tests/cli/mc_limit.sh); the others finish.
scenario { title = "mc limit", start = "2026-01-01", stop = "2026-06-30" }
param("p_loop", 0.4, "chance a run loops forever")
at("2026-02-01", function()
  if rng.bernoulli(param.p_loop) then while true do end end
end)
outcome("fine", function() return true end)
