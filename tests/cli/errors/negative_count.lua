-- expect-exit: 1
-- expect: negative_count.lua:6: USA MM3: cannot download 11: only 10 warheads are deployed (counts never go negative)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
usa:system { name = "MM3", category = "ICBM", deployed = 10, warheads = 10 }
at("2026-01-05", function() usa:system("MM3"):download(11) end)
