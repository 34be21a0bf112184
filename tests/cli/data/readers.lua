-- readers.lua: a batch for tests/cli/readers.sh, which reads its runs file with
-- R, readr, pandas and Python's csv module. Booleans with and without missing
-- values, integers, doubles of every magnitude (x001..x100), awkward text
-- (the words NA and TRUE, the empty string, quotes, commas, non-ASCII) and
-- runs that fail.
scenario { title = "readers", start = "2026-01-01", stop = "2026-12-31" }

param("p_fail", 0.1, "chance a run fails")
param("mix", dist.uniform(0, 1), "a sampled param")

local fail = false
at("2026-06-01", function()
  if rng.bernoulli(param.p_fail) then fail = true; error("boom, \"quoted\" — ошибка") end
end)

outcome("flag", function() return rng.bernoulli(0.5) end)
outcome("maybe_flag", function() if rng.bernoulli(0.3) then return nil end return rng.bernoulli(0.5) end)
outcome("count", function() return rng.int(0, 2000) end)
outcome("real", function() return rng.normal(0, 1) end)
outcome("special", function() return ({ 0 / 0, 1 / 0, -1 / 0, 1.5 })[rng.int(1, 4)] end)
outcome("maybe_real", function() if rng.bernoulli(0.3) then return nil end return rng.uniform(0, 1) end)
outcome("text", function()
  local words = { "NA", "", "TRUE", "plain", "comma, inside", "quote \"inside\"", "Москва", " lead" }
  return words[rng.int(1, #words)]
end)
for i = 1, 100 do
  outcome(string.format("x%03d", i), function()
    return (rng.uniform(0, 2) - 1) * 10.0 ^ rng.int(-300, 300)
  end)
end
