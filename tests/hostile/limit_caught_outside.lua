-- hostile: a limit hit in a coroutine of the script's own reaches the hook's
-- coroutine as an error, where a pcall catches it; the hook's count runs on
-- for up to a thousand instructions, time enough to raise an error of its
-- own, which became the run's message (the status was still "limit"). The
-- message must be the limit's, naming where it hit.
-- args: --max-instructions 100000
-- exit: 4
-- message: limit_caught_outside.lua:13: instruction limit exceeded
-- seconds: 10
-- rss-mib: 100
scenario { title = "limit caught outside", start = "2026-01-01", stop = "2026-01-05" }
after(days(1), function()
  local inner = coroutine.wrap(function() while true do end end)
  local ok = pcall(inner)
  error("the script's own error, after catching the limit: " .. tostring(ok))
end)
