-- random_walk.lua: a test scenario that exercises every source of randomness
-- and iterates tables, so that any hidden nondeterminism shows in its output.
scenario { title = "Random walk of tension", start = "2026-01-01", stop = "2026-12-31" }
param("drift", 0.1, "mean daily change in tension")
param("shock", dist.triangular(0.5, 1, 3), "size of a shock")
local a, b = state { id = "A" }, state { id = "B" }
local tags = { alpha = 1, beta = 2, gamma = 3, delta = 4 }
a:set_relation(b, "tension", 0.5, "mutual")
every(weeks(1), function()
  -- Relations are in [0, 1] (adjust clamps): steps of a few hundredths.
  local step = 0.05 * (rng.normal(param.drift, 1) + (rng.bernoulli(0.1) and param.shock or 0))
  local v = a:adjust(b, "tension", step, "mutual")
  local keys = {}
  for k in pairs(tags) do keys[#keys + 1] = k end
  table.sort(keys)                                  -- never depend on pairs() order
  emit { kind = "tension.changed", by = a, to = b, text = ("tension %.3f"):format(v),
         data = { tension = v, tag = rng.choice(keys), draw = math.random(1, 100),
                  pick = rng.weighted({ "x", "y", "z" }, { 1, 2, 3 }), u = rng.uniform() } }
end)
outcome("tension", function() return a:relation(b, "tension") end)
outcome("high", function() return a:relation(b, "tension") > 0.8 end)
