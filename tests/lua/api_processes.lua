-- api_processes.lua: spawn, wait, wait_for with and without timeout, when().
scenario { title = "api: processes", start = "2026-01-01", stop = "2026-06-30" }
local a = state { id = "A" }
local log_ = {}
local function mark(s) log_[#log_ + 1] = tostring(now()) .. " " .. s end
spawn(function(x, y)
  mark("start " .. x .. y)
  wait(days(10))
  mark("woke")
  local ev = wait_for("signal.*", days(5))
  mark(ev and ("got " .. ev.kind .. " " .. ev.n) or "timeout")
  ev = wait_for("signal.*", days(5))
  mark(ev and ("got " .. ev.kind) or "timeout")
end, "a", "b")
at("2026-01-13", function() emit { kind = "signal.one", by = a, data = { n = 7 } } end)
when(function() return a:relation(a, "x") > 0.8 end, function() mark("when fired") end)
every(days(30), function() a:adjust(a, "x", 0.3) end)
outcome("trace", function()
  local want = "2026-01-01 start ab|2026-01-11 woke|2026-01-13 got signal.one 7|2026-01-18 \z
      timeout|2026-04-01 when fired"
  local got = table.concat(log_, "|")
  assert(got == want, "trace: " .. got)
  return #log_
end)
