-- mc_dates.lua: a date-valued outcome spread over most of a year (report.sh:
-- date histograms).
scenario { title = "mc dates", start = "2026-01-01", stop = "2026-12-31" }
param("spread", 300,
      { doc = "days over which the date falls (source: made up)", min = 1, max = 360 })
outcome("signed_on", function() return now() + days(rng.int(0, param.spread)) end)
