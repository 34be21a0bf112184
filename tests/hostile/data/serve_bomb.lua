-- serve_bomb.lua: a live session whose injects attack the server: a pattern
-- bomb, an endless loop and a zero-delay self-rescheduling hook.
scenario { title = "Serve bomb", start = "2026-01-01", stop = "2026-12-31" }
state { id = "USA", name = "United States" }
state { id = "RUS", name = "Russian Federation" }
local n = 0
inject("bomb", function() return string.find(("a"):rep(60), (".-"):rep(8) .. "b") end)
inject("loop", function() while true do end end)
inject("zero", function() local function again() after(seconds(0), again) end again() end)
inject("fine", function() n = n + 1; emit { kind = "fine", text = "still alive " .. n } end)
-- A standing on() hook that loops, set off by a legitimate hook's event; a
-- when() predicate that loops at the next step.
inject("trap", function()
  on("ping", function() while true do end end)
  after(1, function() emit { kind = "ping", text = "ping " .. n } end)
  after(2, function() emit { kind = "later", text = "later " .. n } end)
end)
inject("stuck", function() when(function() while true do end end, function() end) end)
-- A standing hook that loops on an input's event: the input is refused.
inject("snare", function() on("fine", function() while true do end end) end)
