-- serve_three.lua: three states for the visibility test: talks between USA
-- and RUS ("parties": actor and target) that CHN must not see, a private note
-- of CHN, and a public statement everyone sees.
scenario { title = "Serve three", start = "2026-01-01", stop = "2026-12-31" }
local usa = state { id = "USA" }
local rus = state { id = "RUS" }
local chn = state { id = "CHN" }
every(days(5), function()
  emit { kind = "talks.held", by = usa, to = rus, text = "USA and RUS talk", visibility = "parties" }
  emit { kind = "note.private", by = chn, text = "CHN private note", visibility = "private" }
  emit { kind = "statement.made", by = rus, text = "RUS speaks in public" }
end)
