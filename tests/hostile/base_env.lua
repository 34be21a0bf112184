-- hostile: getmetatable(_G).__index is the shared base environment; rawset into
-- it would define globals for every later run.
-- exit: 1
-- message: attempt to index a boolean value
-- seconds: 10
-- rss-mib: 100
scenario { title = "base", start = "2026-01-01", stop = "2026-02-01" }
local mt = getmetatable(_G)
assert(mt == false, "the environment's metatable is hidden")
rawset(mt.__index, "at", function() end)
