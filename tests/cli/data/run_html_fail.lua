-- run_html_fail.lua: two states under a treaty; the run fails part way
-- (run_html.sh: a failed run still gets its page, with the error).
scenario { title = "a run that fails", start = "2026-01-01", stop = "2026-12-31" }
local a, b = state { id = "A" }, state { id = "B" }
metric { name = "w", doc = "all warheads", terms = { { categories = "*", count = "warheads" } } }
local sys = a:system { name = "force", category = "ICBM", deployed = 10, warheads = 10,
                       capacity = 2 }
b:system { name = "force", category = "ICBM", deployed = 12, warheads = 12, capacity = 1 }
treaty { id = "t", parties = { a, b }, limits = { { metric = "w", max = 15 } },
         in_force = "2025-01-01", expires = "2030-01-01" }
at("2026-03-01", function() sys:upload(8) end)
at("2026-05-01", function() error("the run fails here on purpose") end)
outcome("never", function() return true end)
