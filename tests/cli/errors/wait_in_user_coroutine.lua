-- expect-exit: 1
-- expect: wait: only a process can wait
scenario { start = "2026-01-01", stop = "2026-03-01" }
spawn(function()
  local co = coroutine.wrap(function() wait(days(1)) end)
  co()
end)
