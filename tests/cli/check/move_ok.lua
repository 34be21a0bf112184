-- move_ok.lua: moves the engine accepts give no "was refused" finding.
-- expect-exit: 0
-- expect: is clean (setup and 8 smoke runs)
scenario { title = "check: accepted moves", start = "2026-01-01", stop = "2026-06-30" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
local said = 0
move("statement", { doc = "say something", args = { { name = "tone", type = "choice", options = { "positive", "negative" } } },
  validate = function(_, a) if a.tone == "negative" and said > 0 then return false, "too late" end return true end,
  apply = function() said = said + 1 end })
at("2026-02-01", function()
  assert(usa:move("statement", { tone = "negative" }))
  assert(rus:move("statement", { tone = "positive" }))
end)
outcome("said", function() return said end)
