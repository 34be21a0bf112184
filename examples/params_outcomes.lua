-- examples/params_outcomes.lua: named params in, outcomes out.
--
-- Params are inputs with a default (or a distribution sampled per run) that
-- `-D name=value` overrides; outcomes are values computed when the run ends, which
-- `detente mc` summarises over many runs.
-- Run: detente run examples/params_outcomes.lua -D upload_rate=120
local nst = require "detente.treaties.new_start"

scenario { title = "Params and outcomes", start = "2026-01-01", stop = "2027-02-05" }

param("p_upload", 0.8,
      { doc = "chance Russia uploads once the treaty has expired", min = 0, max = 1 })
param("upload_rate", 60,
      { doc = "warheads a month (an assumption; see scripts/README.md)", min = 1, max = 500 })
param("start_delay", dist.triangular(0, 60, 180), "days before an upload starts")

local _, rus = nst.parties()        -- 2025 forces, New START counting (USA and RUS)
local t = nst.treaty()

on("treaty.expired", function()
  if rng.bernoulli(param.p_upload) then
    after(days(math.floor(param.start_delay)), function()
      local plan = nst.upload_plan { state = rus, per_month = param.upload_rate }
      spawn(plan)
    end)
  else
    log("Russia keeps to the limits this run")
  end
end)

outcome("rus_warheads", function() return t:count(rus, "deployed_warheads") end,
  { doc = "Russian deployed strategic warheads on 2027-02-05 (New START counting)" })
outcome("within_1550", function() return t:count(rus, "deployed_warheads") <= 1550 end,
  { doc = "Russia still within 1,550" })
outcome("headroom", function() return 1550 - t:count(rus, "deployed_warheads") end)
