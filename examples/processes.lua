-- processes.lua: a process is a function that can wait. spawn() starts one;
-- inside it, wait(duration) sleeps in simulated time and wait_for(pattern,
-- timeout) sleeps until a matching event (or the timeout: then it returns nil).
-- Run it: detente run examples/processes.lua
scenario { title = "Processes: a delegation waits for an answer", start = "2026-03-01",
           stop = "2026-09-01" }

local usa = state { id = "USA" }
local rus = state { id = "RUS" }

-- Washington's inter-agency review takes a while, then it answers.
spawn(function()
  wait(weeks(6))
  emit { kind = "review.done", by = usa, text = "USA completes its review of the offer" }
  wait(days(10))
  emit { kind = "answer.given", by = usa, to = rus, text = "USA answers: talks in Geneva" }
end)

-- Moscow waits for the answer, but not forever.
spawn(function()
  local ev = wait_for("answer.*", months(2))
  if ev then
    note(rus, "RUS welcomes the answer given on " .. tostring(ev.time))
  else
    note(rus, "RUS gives up waiting")
  end
  -- A process can keep going: a reminder each month until the summer.
  for _ = 1, 3 do
    wait(months(1))
    note(rus, "RUS asks about the agenda for Geneva")
  end
end)

outcome("days_to_answer", function() return 0 + (date("2026-04-22") - date("2026-03-01")) end)
