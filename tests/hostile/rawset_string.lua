-- hostile: rawset into the shared string table (and the string metatable's
-- __index) would change string.format for every later run of the worker.
-- exit: 1
-- message: bad argument #1 to 'rawset' (table expected, got userdata)
-- seconds: 10
-- rss-mib: 100
scenario { title = "rawset", start = "2026-01-01", stop = "2026-02-01" }
assert(not pcall(function() string.format = nil end), "assignment is refused")
assert(not pcall(rawset, math, "pi", 3), "math cannot be rawset")
assert(not pcall(rawset, table, "insert", print), "table cannot be rawset")
assert(not pcall(rawset, param, "x", 1), "param cannot be rawset")
assert(not pcall(rawset, data, "csv", 1), "data cannot be rawset")
assert(not pcall(rawset, rng, "uniform", 1), "rng cannot be rawset")
assert(#string == 0 and next({}) == nil)
local n = 0
for k, v in pairs(math) do n = n + 1 end
assert(n > 10, "pairs still walks a library")
assert(("x"):rep(3) == "xxx", "string methods work")
rawset(string, "rep", function() return "evil" end)
