-- mc_basic.lua: a small batch scenario for the mc tests: a sampled param, a
-- swept one, boolean, numeric and string outcomes (some awkward for CSV), and
-- draws before and after a fork date.
scenario { title = "mc basic", start = "2026-01-01", stop = "2026-12-31" }

param("p_yes", dist.uniform(0.2, 0.8), "chance of yes")
param("scale", 10, "size of the numbers")
param("label", "plain", "a string param")

local early, late = 0, 0

at("2026-03-01", function() early = rng.uniform(0, 1) end)
at("2026-09-01", function() late = rng.uniform(0, 1) end)

outcome("yes", function() return rng.bernoulli(param.p_yes) end)
outcome("size", function() return rng.normal(param.scale, 2) end)
outcome("early", function() return early end)
outcome("late", function() return late end)
outcome("word", function()
  local words = { "comma, inside", "quote \"inside\"", "new\nline", "plain", "" }
  return words[rng.int(1, #words)]
end)
outcome("maybe", function() if late < 0.5 then return nil end return late end)
