-- mc_errors.lua: some runs raise a Lua error, after a sampled param decides.
scenario { title = "mc errors", start = "2026-01-01", stop = "2026-06-30" }

param("risk", dist.uniform(0, 1), "above 0.7 the run fails")

at("2026-02-01", function()
  if param.risk > 0.7 then error("risk too high: " .. string.format("%.3f", param.risk)) end
end)

outcome("fine", function() return true end)
