-- expect-exit: 1
-- expect: wait_for_empty.lua:7: bad argument #1 to 'wait_for' (empty event pattern (use '*' for every event))
-- on("") is refused, but wait_for("") was taken: it matches no event, so the
-- process slept until its timeout (or for ever) without a word.
scenario { start = "2026-01-01", stop = "2026-03-01" }
spawn(function()
  local ev = wait_for("", days(30))
  error("woke with " .. tostring(ev))
end)
