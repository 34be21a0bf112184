-- mc_columns.lua: params and outcomes that only some runs declare, and a
-- param with a range, for the mc tests of columns and sweep values.
scenario { title = "mc columns", start = "2026-01-01", stop = "2026-03-31" }

param("variant", "a", "which version of the story (b declares more)")
param("share", 0.5, { doc = "a param with a range", min = 0, max = 1 })
param("late_outcome", false, "declare an outcome from a hook, after setup")
param("x", dist.uniform(0, 1), "sampled in every run")

if param.variant == "b" then
  param("bonus", dist.uniform(0, 10), "only in variant b")
  outcome("b_only", function() return param.bonus * 2 end)
end
-- About half the runs declare it (their own draw decides): a column only
-- when the first run of the point does, otherwise the batch stops.
if rng.uniform(0, 1) < 0.5 then param("sometimes", dist.uniform(-1, 1), "about half the runs") end

local noise = 0
at("2026-02-01", function()
  noise = rng.uniform(0, 0.5)
  if param.late_outcome then outcome("too_late", function() return 1 end) end
end)

outcome("y", function() return param.x + noise end)
outcome("z", function()
  if noise < 0.1 then return nil end   -- missing in about a fifth of the runs
  return noise * 3 - param.x
end)
outcome("big", function() return param.x + noise > 0.6 end)
