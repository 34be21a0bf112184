-- serve_avail.lua: moves offered only while their preconditions hold
-- (move{ available = fn(state) }), for tests/cli/serve_avail.py. USA is the
-- human seat. `checks` counts how often the preconditions ran: it is an
-- outcome, so the live log and a replay agree only if they ran at the same
-- points.
scenario { title = "Offered moves", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russian Federation" }

local crisis, spoilt, checks = false, false, 0

every(days(3), function() emit { kind = "tick", text = "three days" } end)

inject("crisis", function() crisis = true; emit { kind = "crisis", text = "a crisis erupts" } end)
inject("spoil", function() spoilt = true end)

move("statement", {
  doc = "a public statement (always offered)",
  args = { { name = "text", type = "text", required = true } },
  apply = function(s, args) emit { kind = "statement.made", by = s, text = s.id .. ": " .. args.text } end,
})

move("de_escalate", {
  doc = "offered only during a crisis",
  available = function(s)
    checks = checks + 1
    return crisis
  end,
  apply = function(s)
    crisis = false
    emit { kind = "de_escalated", by = s, text = s.id .. " de-escalates" }
  end,
})

move("gamble", {
  doc = "its precondition draws a random number once spoilt (which a precondition may not do)",
  available = function(s)
    if spoilt then return rng.uniform() < 0.5 end
    return true
  end,
  apply = function(s) emit { kind = "gamble", by = s, text = "a gamble" } end,
})

outcome("checks", function() return checks end)
