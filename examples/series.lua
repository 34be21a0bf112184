-- examples/series.lua: results over time.
--
-- series() samples a value every period (and on the stop date); an outcome with
-- `at` is evaluated on its own date; an outcome may be a date. `detente run`
-- prints the series as a table; `detente mc --series FILE` writes every run's
-- samples and summarises them as quantile bands per date, with a fan chart.
-- Run: detente run examples/series.lua
--      detente mc examples/series.lua --runs 200 --series series.csv
scenario { title = "Results over time", start = "2026-02-05", stop = "2027-02-05" }

param("per_month", dist.triangular(20, 50, 90), "upload rate, warheads a month (illustrative)")

local usa = state { id = "USA", name = "United States" }
-- Illustrative figures, not sourced.
local d5 = usa:system { name = "Trident II D5", category = "SLBM", deployed = 240, warheads = 970,
                        capacity = 8 }
local w = metric { name = "slbm_warheads",
                   terms = { { categories = { "SLBM" }, count = "warheads" } } }

at("2026-04-01", function() d5:upload(600, { per_month = param.per_month }) end)

series("slbm_warheads", months(1), function() return usa:count(w) end,
       { doc = "warheads on SLBMs" })

local passed
when(function() return usa:count(w) > 1200 end, function() passed = now() end)

outcome("mid_year", function() return usa:count(w) end,
        { at = "2026-08-05", doc = "on 5 Aug 2026" })
outcome("passed_1200", function() return passed end,
        { doc = "the date SLBM warheads passed 1,200 (nil: never)" })
outcome("final", function() return usa:count(w) end)
