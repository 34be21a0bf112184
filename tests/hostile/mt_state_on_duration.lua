-- hostile: a State's getter called on a Duration whose bytes the script chose
-- read memory at that address. Every State method checks its handle's kind.
-- exit: 1
-- message: detente.State expected, got detente.Duration
-- seconds: 10
-- rss-mib: 100
scenario { title = "state on duration", start = "2026-01-01", stop = "2026-02-01" }
local s = state { id = "A", name = "A" }
local d = months(1) * 1000 + seconds(1)
for _, k in ipairs({ "relation", "count", "quantity", "systems", "adjust" }) do
  local ok, err = pcall(s[k], d, "x")
  assert(not ok and err:find("State expected", 1, true), k .. ": " .. tostring(err))
end
s.relation(d, "x")
