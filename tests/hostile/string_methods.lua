-- hostile: the string metatable's __index was the real string table: changing
-- a method there changed ("x"):rep for every later run. It is a read-only
-- proxy now, and the metatable is protected.
-- exit: 1
-- message: attempt to index a boolean value
-- seconds: 10
-- rss-mib: 100
scenario { title = "string methods", start = "2026-01-01", stop = "2026-02-01" }
assert(("x"):rep(3) == "xxx")
assert(not pcall(function() string.rep = function() return "evil" end end))
assert(not pcall(function() ("x").rep = 1 end))
assert(getmetatable("") == false)
getmetatable("").__index.rep = function() return "evil" end
