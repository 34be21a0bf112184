-- serve_channels.lua: three states and two message forms, for the channel
-- tests (tests/cli/serve_channels.py). Nothing happens in the run but a weekly
-- public note, so messages are the only traffic.
scenario { title = "Channels test", start = "2026-01-01", stop = "2026-12-31" }

local usa = state { id = "USA" }
state { id = "RUS" }
state { id = "CHN" }

every(days(7), function()
  emit { kind = "note", by = usa, text = "a week", visibility = "public" }
end)

form("rfi", {
  title = "Request for information",
  args = {
    { name = "question", type = "text", required = true },
    { name = "about", type = "state" },
    { name = "urgency", type = "choice", options = { "routine", "urgent" }, default = "routine" },
  },
})
form("note", { doc = "a form with no fields" })
