-- expect-exit: 1
-- expect: param_typo.lua:7: param.p_us_withdrw: no such param (did you mean 'p_us_withdraw'?) (declared: p_us_withdraw)
scenario { start = "2026-01-01", stop = "2026-03-01" }
param("p_us_withdraw", 0.2, "chance the US withdraws")
at("2026-01-10", function()
  -- a typo in a param's name names the file and line of the use
  if rng.bernoulli(param.p_us_withdrw) then log("withdraws") end
end)
