-- hostile: C loops of Lua's library that run without the count hook and do
-- not allocate, so no limit stopped them: string.rep("", 2^62) copied an empty
-- string 2^62 times, table.move({}, 1, 2^62, 1, {}) moved 2^62 nils (found by
-- fuzz_lua_api as a hang). rep of nothing is nothing now; a move counts an
-- instruction per element.
-- args: --max-instructions 1000000
-- exit: 4
-- message: instruction limit exceeded
-- seconds: 10
-- rss-mib: 100
scenario { title = "C loops", start = "2026-01-01", stop = "2026-02-01" }
assert(string.rep("", math.maxinteger) == "" and ("").rep("", 1 << 62, "") == "")
assert(("ab"):rep(3, ",") == "ab,ab,ab" and (""):rep(3, "-") == "--")
local t = table.move({ 1, 2, 3 }, 1, 3, 2, {})
assert(t[1] == nil and t[2] == 1 and t[4] == 3)
table.move({}, 1, math.maxinteger - 1, 1, {})
