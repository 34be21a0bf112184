-- hostile: a State's __index called on a Duration whose bytes the script chose
-- (months(1) * 0x414141414141 + seconds(1)) would read memory at that address.
-- exit: 1
-- message: duration out of range
-- seconds: 10
-- rss-mib: 100
scenario { title = "mt", start = "2026-01-01", stop = "2026-02-01" }
local s = state { id = "A", name = "A" }
assert(getmetatable(s) == false, "handle metatables are protected")
assert(getmetatable(months(1)) == false, "Duration metatable is protected")
local d = months(1) * 0x414141414141 + seconds(1)
error("built a duration of " .. tostring(d))
