-- move_refused.lua: a move the engine always refuses (a validate never met) and
-- one with a wrong argument: each reported once, with the call's file:line, the
-- reason and in how many smoke runs it happened. A move that succeeds is not.
-- expect-exit: 1
-- expect: move_refused.lua:19: move 'offer' by RUS was refused in 8 of 8 smoke runs: no treaty to extend yet
-- expect: move_refused.lua:20: move 'statement' by USA was refused in 8 of 8 smoke runs: tone:
-- expect: move_refused.lua:23: move 'offer' by RUS was refused in 3 of 8 smoke runs: no treaty to extend yet
-- expect-problems: 3
scenario { title = "check: refused moves", start = "2026-01-01", stop = "2026-06-30" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
local treaty_signed = false
move("offer", { doc = "offer an extension", args = { { name = "years", type = "number" } },
  validate = function() if not treaty_signed then return false, "no treaty to extend yet" end return true end,
  apply = function() end })
move("statement", { doc = "say something", args = { { name = "tone", type = "choice", options = { "positive", "negative" } } },
  apply = function() end })
local ok
at("2026-02-01", function()
  rus:move("offer", { years = 1 })
  usa:move("statement", { tone = "neutral" })
  ok = usa:move("statement", { tone = "positive" })
  if rng.bernoulli(0.5) then
    rus:move("offer", { years = 2 })
  end
end)
outcome("ok", function() return ok == true end)
