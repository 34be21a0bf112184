-- hostile: a Treaty's getter called on a State read the State's memory as a
-- Treaty and returned garbage. Every method checks the kind of handle it is
-- given and names what it expected.
-- exit: 1
-- message: bad argument #1 to 'complies' (detente.Treaty expected, got detente.State)
-- seconds: 10
-- rss-mib: 100
scenario { title = "treaty on state", start = "2026-01-01", stop = "2026-02-01" }
local a = state { id = "A", name = "A" }
state { id = "B", name = "B" }
local t = treaty { id = "T", parties = { "A", "B" } }
for _, k in ipairs({ "complies", "breaches", "binds", "observance", "limit" }) do
  local ok, err = pcall(t[k], a, a)
  assert(not ok and err:find("detente.Treaty expected, got detente.State", 1, true),
         k .. ": " .. tostring(err))
end
t.complies(a, a)
