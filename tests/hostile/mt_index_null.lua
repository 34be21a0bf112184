-- hostile: a handle's __index called with a plain table (NULL userdata) or a
-- handle of another type: today getmetatable(state).__index({}, "x") crashes.
-- exit: 1
-- message: detente.State expected, got table
-- seconds: 10
-- rss-mib: 100
scenario { title = "mt", start = "2026-01-01", stop = "2026-02-01" }
local s = state { id = "A", name = "A" }
state { id = "B", name = "B" }
local t = treaty { id = "T", parties = { "A", "B" } }
assert(getmetatable(s) == false and getmetatable(t) == false, "metatables hidden")
assert(getmetatable("") == false, "string metatable hidden")
assert(getmetatable(_G) == false, "the environment's metatable is hidden")
-- Methods fetched from one kind and called on another must raise, not read.
assert(not pcall(s.relation, {}, "x"), "a State method on a table raises")
-- Every function a handle gives out, called on values of every other kind.
local others = { {}, t, months(1), date("2026-01-01"), "A", 1, true, nil }
local n = 0
for _, h in ipairs({ s, t }) do
  for _, k in ipairs({ "relation", "set_relation", "adjust", "count", "quantity", "systems",
                          "propose", "move", "decide", "complies", "breaches", "limit", "binds",
                          "observance", "suspend", "extend", "pledge" }) do
    local got, f = pcall(function() return h[k] end)   -- another type's method raises (issue 13)
    if got and type(f) == "function" then
      for _, o in ipairs(others) do
        n = n + 1
        pcall(f, o, "x", 1)
      end
    end
  end
end
assert(n > 0, "some methods were tried")
-- The last one, unprotected: a State method on a plain table (the NULL
-- userdata of old) names what was expected.
s.count({}, "x")
