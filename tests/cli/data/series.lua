-- tests/cli/data/series.lua: series on two grids, an outcome at a date, a date-valued outcome (tests/cli/series.sh).
scenario { title = "series", start = "2026-01-15", stop = "2026-07-01" }
local a = state { id = "A" }
local y = a:system { name = "x", category = "ICBM", deployed = 10, warheads = 10, capacity = 4 }
y:upload(30, { per_month = 6 })
series("warheads", months(1), function() return y.warheads end, { doc = "A's warheads" })
series("over_20", months(2), function() if y.warheads > 20 then return true end return nil end)
outcome("mid", function() return y.warheads end, { at = "2026-04-01" })
outcome("end", function() return y.warheads end)
local crossed
when(function() return y.warheads > 25 end, function() crossed = now() end)
outcome("crossed_25", function() return crossed end)
