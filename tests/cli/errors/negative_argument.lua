-- expect-exit: 1
-- expect: negative_argument.lua:5: USA MM3: upload count must not be negative, got -5
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
usa:system { name = "MM3", category = "ICBM", deployed = 10, warheads = 10 }:upload(-5)
