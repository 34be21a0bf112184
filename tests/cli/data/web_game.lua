-- web_game.lua: a small live session for the browser test (tests/cli/web_e2e.py):
-- USA is the human seat; a decision asked every 20 days, an inject, a move.
scenario { title = "Serve test", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russian Federation" }

param("ask_every", 20, "days between two questions to USA")

decision("answer", { options = { "yes", "no" }, default = "no", timeout = days(10),
                     doc = "Does Washington accept the one-year offer?" })
policy(usa, "answer", "yes")
policy(rus, "answer", "yes")

local statements = 0

local days_gone = 0.0; every(days(1), function() days_gone = days_gone + 1 end)   -- relations are in [0, 1]: count here

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

move("warn", {
  doc = "warn another state to change course within a time",
  args = {
    { name = "target", type = "state", required = true, doc = "who is warned" },
    { name = "within", type = "duration", required = true, doc = "how long they have" },
  },
  apply = function(s, args)
    emit { kind = "warning.given", by = s, to = args.target,
           text = s.id .. " warns " .. args.target.id .. ": " .. tostring(args.within) }
  end,
})

move("statement", {
  doc = "make a public statement: text=",
  args = { { name = "text", type = "text", required = true, doc = "what is said" } },
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

inject("crisis", function()
  usa.attrs.in_crisis = true
  emit { kind = "crisis", text = "a crisis erupts" }
end)

move("de_escalate", {
  doc = "offered only during a crisis",
  available = function(s) return s.attrs.in_crisis == true end,
  apply = function(s) s.attrs.in_crisis = false; emit { kind = "crisis.over", by = s, text = "USA de-escalates" } end,
})
inject("boom", function() statements = statements + 1000; error("the boom inject fails on purpose") end)

outcome("statements", function() return statements end)

-- A counting rule and a treaty, so the pages and the report have a chart.
usa:system { name = "ICBMs", category = "ICBM", deployed = 400, warheads = 400, capacity = 3 }
rus:system { name = "ICBMs", category = "ICBM", deployed = 300, warheads = 900, capacity = 4 }
metric { name = "deployed_warheads", terms = { { categories = "*", count = "warheads" } } }
treaty { id = "lim", name = "Limits", parties = { usa, rus }, limits = { { metric = "deployed_warheads", max = 1000 } },
         in_force = "2025-01-01", expires = "2030-01-01" }
every(days(30), function() rus:system("ICBMs"):upload(10) end)
