-- hostile: a 60-byte subject against (".-"):rep(8).."b" backtracks for minutes
-- inside one string.find in C, where the instruction hook never runs. Our
-- matcher charges each step to the hook's instruction budget.
-- exit: 4
-- message: instruction limit exceeded
-- seconds: 20
-- rss-mib: 100
scenario { title = "bomb", start = "2026-01-01", stop = "2026-02-01" }
-- Ordinary patterns still work as Lua's do.
assert(("key=value"):match("^(%w+)=(%w+)$") == "key")
assert(select(2, ("a,b,,c"):gsub(",", ";")) == 3)
assert(("f(a(b)c)"):find("%b()") == 2)
local s = ("a"):rep(60)
at("2026-01-02", function() return string.find(s, (".-"):rep(8) .. "b") end)
