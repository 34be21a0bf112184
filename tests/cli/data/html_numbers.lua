-- html_numbers.lua: an outcome computed as 0.6799999999999999 (0.7 - 0.02)
-- and a whole-number param, for html_numbers.sh: the HTML pages must show
-- them as the terminal does (0.68, 10), not in the exact long form.
scenario { title = "html numbers", start = "2026-01-01", stop = "2026-02-01" }

param("upload", 10, "a whole number, swept to 10 and 30 by the test")

outcome("tension", function() return 0.7 - 0.02 end)
outcome("uploaded", function() return param.upload * 2 end)

-- A category that is "low" in exactly half of the runs under --sample lhs
-- (each half of half's range gets half the runs): shares print as 50% on the
-- terminal and in the report, not 50.0%.
param("half", dist.uniform(0, 1), "sampled; its two halves split the runs")
outcome("side", function() return param.half < 0.5 and "low" or "high" end)
-- and a boolean that is true in half of the runs: p prints 0.500 everywhere
outcome("low", function() return param.half < 0.5 end)
