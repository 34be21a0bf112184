-- hooks.lua: scheduling with at, after, every, on and when.
-- Run it: detente run examples/hooks.lua
scenario { title = "Hooks and scheduling", start = "2026-01-01", stop = "2026-06-30" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russian Federation" }

-- A fixed date.
at("2026-01-15", function()
  emit { kind = "statement.made", by = rus, text = "RUS calls for talks on strategic stability" }
end)

-- Relative to now: 31 Jan + 1 calendar month lands on 28 Feb.
at("2026-01-31", function()
  after(months(1), function() log("one calendar month after 31 Jan is " .. tostring(now())) end)
end)

-- Every two weeks until the end of March, counting contacts (in a local: relations
-- such as trust are in [0, 1], not counters).
local contacts = 0
every(weeks(2), function()
  contacts = contacts + 1
  log(("contact %d between the delegations"):format(contacts))
end, { last = "2026-03-31" })

-- React to any statement.
on("statement.*", function(ev)
  note(usa, "USA takes note: " .. ev.text)
end)

-- Fire once when a condition first holds.
when(function() return contacts >= 4 end, function()
  emit { kind = "statement.made", by = usa, to = rus, text = "USA proposes a working group" }
end)

outcome("contacts", function() return contacts end)
