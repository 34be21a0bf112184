-- tests/lua/api_move_available.lua: a move's precondition (available =
-- function(state)) is checked at declaration; scripts' state:move does not
-- consult it (validate is the check there); what a session offers is
-- tested through the protocol in tests/cli/serve_avail.sh.
scenario { title = "api: move preconditions", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }

local ok, err = pcall(move, "bad", { available = 5, apply = function() end })
assert(not ok and tostring(err):find("'available' must be a function(state)", 1, true),
       "a precondition that is not a function: " .. tostring(err))

local made = 0
move("rare", {
  available = function(s) return false end,
  apply = function(s) made = made + 1 end,
})
at("2026-02-01", function()
  local done, why = usa:move("rare", {})
  assert(done, "a script's move does not consult available(): " .. tostring(why))
  assert(made == 1, "applied once")
end)
outcome("made", function()
  assert(made == 1, "the scheduled move ran")
  return made
end)
