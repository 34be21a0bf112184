-- hostile: the handle metatables were shared and writable: replacing a State's
-- __index changed every State of every later run of the worker. Every engine
-- metatable is protected: getmetatable gives false.
-- exit: 1
-- message: attempt to index a boolean value
-- seconds: 10
-- rss-mib: 100
scenario { title = "handle mt", start = "2026-01-01", stop = "2026-02-01" }
local s = state { id = "A", name = "A" }
for _, v in ipairs({ s, months(1), date("2026-01-01"), after(days(1), function() end),
                     dist.normal(0, 1) }) do
  assert(getmetatable(v) == false, tostring(v) .. ": metatable reachable")
  assert(not pcall(setmetatable, v, {}), "setmetatable on a handle")
end
getmetatable(s).__index = function() return "evil" end
