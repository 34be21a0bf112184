-- expect-exit: 1
-- expect: one_party_treaty.lua:7: treaty 'inf': 'parties' must list at least 2 states, got 1 (a nil at the end of a list is dropped: a misspelt or undefined variable?)
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
local urs = state { id = "URS" }
local ussr = nil   -- the script meant urs
treaty { id = "inf", parties = { usa, ussr } }
