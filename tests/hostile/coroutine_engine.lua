-- hostile: coroutine.running() in a process or a hook hands out the engine's
-- coroutine. Resumed by the script, a process waiting in wait(days(10)) woke
-- after one day with the script's values ("fake", 42) and went on; a pooled
-- coroutine holding another process ran that process days early; closed, a
-- process ended without a word. coroutine.resume/close now refuse the
-- engine's coroutines; the script's own coroutines work as before.
-- exit: 1
-- message: coroutine_engine.lua:33: coroutine.close: this coroutine is the engine's
-- seconds: 10
-- rss-mib: 100
scenario { title = "engine coroutines", start = "2026-01-01", stop = "2026-03-01" }
local A, woke
spawn(function()
  A = coroutine.running()
  local r = table.pack(wait(days(10)))
  woke = now()
  assert(r.n == 0, "wait returned values it was resumed with")
end)
spawn(function()
  wait(days(1))
  local ok, e = pcall(coroutine.resume, A, "fake", 42)
  assert(not ok and e:find("this coroutine is the engine's", 1, true), tostring(e))
  assert(coroutine.status(A) == "suspended")
  -- the script's own coroutines: resume, yield, close
  local co = coroutine.create(function(x) local y = coroutine.yield(x + 1); return y * 2 end)
  assert(select(2, coroutine.resume(co, 1)) == 2 and select(2, coroutine.resume(co, 5)) == 10)
  local c2 = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(c2)
  assert(coroutine.close(c2) and coroutine.status(c2) == "dead")
end)
after(days(20), function()
  assert(woke == date("2026-01-11"), "the process woke on " .. tostring(woke))
  coroutine.close(A)
end)
