-- expect-exit: 1
-- expect: method_typo.lua:8: Treaty(pact, in_force) has no field or method 'suspnd' (did you mean 'suspend'?)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a, b = state { id = "A" }, state { id = "B" }
local t = treaty { id = "pact", parties = { a, b }, in_force = "2020-01-01" }
at("2026-02-01", function()
  -- a misspelt method says what the handle has
  t:suspnd("talks broke down")
end)
