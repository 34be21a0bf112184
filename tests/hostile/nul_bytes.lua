-- hostile: the engine keeps names, paths, dates and texts as C strings, which
-- end at the first NUL byte, and took Lua strings without looking for one:
-- require("a\0../../etc/passwd") loaded a.lua, data.csv("a\0zzz") read the file
-- 'a', state("USA\0x") found USA, date("2026-01-01\0junk") parsed, outcome
-- "o\0x" was declared as "o", emit/log texts were cut short. Bytes that are
-- not UTF-8 went into the JSON log, where the writer dropped the string: an
-- event without its kind or text, a run.end without its outcome. Each is
-- refused now, naming the call and the byte; UTF-8 text passes.
-- setup: echo 'return 1' > a.lua && printf 'x\n1\n' > a
-- exit: 1
-- message: nul_bytes.lua:53: bad argument #1 to 'require' ('a\0...' holds a NUL byte (byte 2)
-- seconds: 10
-- rss-mib: 100
scenario { title = "NUL bytes", start = "2026-01-01", stop = "2026-02-01" }
local usa = state { id = "USA" }
assert(require("a") == 1 and #data.csv("a") == 1)   -- the files the cut names would reach
local function refused(f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok and (tostring(e):find("holds a NUL byte", 1, true) or
                     tostring(e):find("is not UTF-8", 1, true)), "not refused: " .. tostring(e))
end
refused(require, "a\0b")
refused(data.csv, "a\0zzz")
refused(data.json, "a\0.json")
refused(state, "USA\0x")
refused(state, { id = "RUS\0x" })
refused(date, "2026-01-01\0junk")
refused(outcome, "o\0x", function() return 1 end)
refused(param, "p\0x", 1)
refused(param, "p", "text\0more")
refused(metric, { name = "m\0x", terms = { { categories = { "ICBM" }, count = "warheads" } } })
refused(emit, { kind = "a\0b" })
refused(emit, { kind = "a", text = "x\0y" })
refused(emit, { kind = "a", data = { k = "v\0w" } })
refused(log, "hello\0world")
refused(on, "a\0*", function() end)
refused(function() return usa:relation(usa, "t\0x") end)
refused(function() usa:system { name = "S\0X", category = "ICBM" } end)
refused(function() return usa:decide("d\0x") end)
refused(state, { id = "CHN", name = "\xff" })
refused(decision, "d", { options = { "yes", "n\0o" } })
refused(emit, { kind = "k\xfe" })
refused(log, "\xc0\xaf")            -- overlong '/'
refused(log, "\xed\xa0\x80")        -- a surrogate
refused(log, "\xf4\x90\x80\x80")    -- past U+10FFFF
refused(log, "ab\xe4\xb8")          -- cut short
for _, n in ipairs { "", ".a", "a.", "a..b", "detente...x" } do   -- empty names: not a module
  local ok, e = pcall(require, n)
  assert(not ok and e:find("is not a module name", 1, true), n .. ": " .. tostring(e))
end
log("Côte d'Ivoire, 中国, \u{1F600}, \u{10FFFF}")
assert(#states() == 1)
require("a\0../../etc/passwd")
