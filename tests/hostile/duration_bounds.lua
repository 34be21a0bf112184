-- hostile: Duration arithmetic without bounds let a script build a Duration
-- with chosen bytes (months(1) * 0x414141414141 + seconds(1)). Durations span
-- at most 10000 years and dates stay within years 1-9999.
-- exit: 1
-- message: duration out of range
-- seconds: 10
-- rss-mib: 100
scenario { title = "durations", start = "2026-01-01", stop = "2026-02-01" }
assert(not pcall(function() return seconds(1) * 1e300 end), "seconds * 1e300")
assert(not pcall(function() return days(1) * math.maxinteger end), "days * maxinteger")
assert(not pcall(function() return date("2026-01-01") + months(1) * 200000 end), "a date past 9999")
assert(not pcall(function() return months(-1) * 0x414141414141 end), "negative months")
local d = months(1) * 0x414141414141 + seconds(1)
error("built a duration of " .. tostring(d))
