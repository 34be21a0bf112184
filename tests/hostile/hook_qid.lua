-- hostile: editing a hook's `qid` cancelled another piece of code's event.
-- Hook state lives in C; qid is not visible and cannot be set.
-- exit: 1
-- message: a hook is the engine's and cannot be changed
-- seconds: 10
-- rss-mib: 100
scenario { title = "hook qid", start = "2026-01-01", stop = "2026-03-01" }
local fired = 0
local victim = at("2026-01-20", function() fired = fired + 1 end)
local mine = after(days(1), function() end)
assert(not pcall(function() return mine.qid end), "qid is not visible")
assert(not pcall(function() mine.qid = 1 end), "qid cannot be set")
mine:cancel()
assert(not pcall(function() mine.qid = 1 end), "nor on a cancelled hook")
local other = every(days(5), function() end)
at("2026-02-01", function()
  assert(fired == 1 and victim.active == false, "the victim's event fired once")
  other.qid = 1
end)
