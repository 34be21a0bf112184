-- hostile: the same pattern bomb through gsub, gmatch and match, each inside
-- pcall; the budget is shared, so the second is refused at once.
-- exit: 4
-- message: instruction limit exceeded
-- seconds: 20
-- rss-mib: 100
scenario { title = "bomb", start = "2026-01-01", stop = "2026-02-01" }
local s = ("a"):rep(60)
local bomb = (".-"):rep(8) .. "b"
at("2026-01-02", function()
  pcall(string.gsub, s, bomb, "x")
  pcall(function() for _ in s:gmatch(bomb) do end end)
  return s:match(bomb)
end)
