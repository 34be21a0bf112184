-- arsenal.lua: weapon systems, counting rules and a treaty whose compliance is
-- computed from the arsenals. Uploads can happen at once or at a rate.
-- Run it: detente run examples/arsenal.lua
scenario { title = "Arsenal changes and compliance", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA" }
local rus = state { id = "RUS" }   -- the other party (a treaty binds at least two); no forces here
-- Illustrative numbers, not sourced: see stdlib/detente/treaties/new_start.lua for real data.
local icbm = usa:system { name = "ICBM force", category = "ICBM", deployed = 400, warheads = 400,
                          capacity = 3 }
usa:system { name = "SLBM force", category = "SLBM", deployed = 230, warheads = 970, capacity = 8 }
usa:system { name = "Bombers", category = "BOMBER", deployed = 50, nondeployed = 16 }

-- A counting rule: warheads on missiles, plus one per deployed bomber.
metric { name = "counted_warheads",
         doc = "warheads on deployed ICBMs and SLBMs + 1 per deployed bomber",
         terms = { { categories = { "ICBM", "SLBM" }, count = "warheads" },
                   { categories = { "BOMBER" }, count = "deployed", weight = 1 } } }

local t = treaty { id = "cap", name = "Warhead cap", parties = { usa, rus },
                   limits = { { metric = "counted_warheads", max = 1550 } },
                   in_force = "2020-01-01", expires = "2026-06-01" }

log("counted warheads at the start: " .. usa:count("counted_warheads"))

-- When the cap lapses, upload 300 warheads on the ICBMs at 2 a day.
on("treaty.expired", function()
  icbm:upload(300, { per_day = 2 })
end)

on("arsenal.change_done", function(ev)
  log(("upload complete: %d warheads on the ICBMs, %s within the old cap"):format(
    icbm.warheads, t:complies(usa) and "still" or "no longer"))
end)

outcome("counted_warheads", function() return usa:count("counted_warheads") end)
outcome("within_cap", function() return t:complies(usa) end)
