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
-- s:pending_proposals(role?): what the stdlib's answer_offer and withdraw_offer
-- preconditions read.
local rus = state { id = "RUS", name = "Russia" }
at("2026-03-01", function()
  assert(#usa:pending_proposals() == 0 and #rus:pending_proposals("to") == 0, "none yet")
  local p = usa:propose { to = rus, kind = "talks", deadline = "2026-06-01" }
  assert(#rus:pending_proposals("to") == 1 and rus:pending_proposals("to")[1] == p, "to RUS")
  assert(#rus:pending_proposals("from") == 0, "RUS made none")
  assert(#usa:pending_proposals("from") == 1 and #usa:pending_proposals() == 1, "made by USA")
  assert(#usa:pending_proposals("to") == 0, "none to USA")
  local ok2, err2 = pcall(usa.pending_proposals, usa, "sideways")
  assert(not ok2 and tostring(err2):find("role must be", 1, true), "a bad role: " .. tostring(err2))
  p:accept("agreed")
  assert(#rus:pending_proposals() == 0 and #usa:pending_proposals() == 0, "closed: none pending")
  made = made + 10
end)

outcome("made", function()
  assert(made == 11, "the scheduled checks ran")
  return made
end)
