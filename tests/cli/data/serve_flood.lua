-- serve_flood.lua: a live session that can produce a great deal of output at
-- once, for the test of a client that stops reading (serve_slow_reader.sh).
-- The facilitator's `flood` inject emits `flood_events` public events with long
-- texts; USA is meant to be a human seat that keeps making statements.
scenario { title = "Flood test", start = "2026-01-01", stop = "2026-12-31" }

state { id = "USA", name = "United States" }
state { id = "RUS", name = "Russian Federation" }

param("flood_events", 2000, "public events one flood emits")
param("flood_text", 400, "characters in each flooded event's text")

local padding = string.rep("x", param.flood_text)

inject("flood", function()
  for i = 1, param.flood_events do
    emit { kind = "flood", text = "flood " .. i .. " " .. padding }
  end
end)

move("statement", {
  doc = "make a public statement: text=",
  apply = function(s, args) emit { kind = "statement.made", by = s, text = s.id .. ": " .. tostring(args.text) } end,
})
