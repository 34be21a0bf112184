-- hostile: hook objects were Lua tables whose fields the engine trusted:
-- `h.pattern = {}` crashed the matcher (strlen(NULL)). Hooks are opaque
-- userdata now; their fields are read-only views.
-- exit: 1
-- message: a hook is the engine's and cannot be changed
-- seconds: 10
-- rss-mib: 100
scenario { title = "hook pattern", start = "2026-01-01", stop = "2026-03-01" }
local h = on("*", function() end)
assert(h.kind == "on" and h.active == true, "read-only views work")
assert(not pcall(function() return h.pattern end), "no internals are visible")
assert(not pcall(rawset, h, "pattern", {}), "rawset on a hook raises")
at("2026-01-15", function() emit { kind = "x.y" } end)
at("2026-02-01", function() h.pattern = {} end)
