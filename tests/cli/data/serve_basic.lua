-- serve_basic.lua: a small live session for the serve tests. Two states; USA
-- is meant to be a human seat. A decision asked twice (one to answer, one to
-- let default), private notes for each side, a move and two injects (one
-- fails on purpose).
scenario { title = "Serve test", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russian Federation" }

param("ask_every", 20, "days between two questions to USA")

decision("answer", { options = { "yes", "no" }, default = "no", timeout = days(10),
                     doc = "Does Washington accept the one-year offer?" })
policy(usa, "answer", "yes")
policy(rus, "answer", "yes")

local statements = 0

local days_gone = 0.0; every(days(1), function() days_gone = days_gone + 1 end)   -- a float: the console prints round=19 all the same

every(days(param.ask_every), function()
  spawn(function()
    local a = usa:decide("answer", { round = days_gone, counterpart = rus })
    emit { kind = "answer.given", by = usa, text = "USA answered " .. a }
  end)
end)

every(days(7), function()
  emit { kind = "note.private", by = rus, text = "RUS private assessment", visibility = "private" }
  emit { kind = "note.private", by = usa, text = "USA private assessment", visibility = "private" }
end)

move("statement", {
  doc = "make a public statement: text=",
  validate = function(s, args)
    if type(args.text) ~= "string" or args.text == "" then return false, "a statement needs text" end
    return true
  end,
  apply = function(s, args)
    statements = statements + 1
    emit { kind = "statement.made", by = s, text = s.id .. ": " .. args.text }
  end,
})

move("fail", {
  doc = "a move whose effect raises (tests the error path)",
  apply = function(s, args) statements = statements + 1000; error("the fail move fails on purpose") end,
})

inject("crisis", function() emit { kind = "crisis", text = "a crisis erupts" } end)
inject("boom", function() statements = statements + 1000; error("the boom inject fails on purpose") end)

outcome("statements", function() return statements end)
