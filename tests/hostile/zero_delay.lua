-- hostile: a hook that reschedules itself with no delay never lets simulated
-- time move: the run used to hang. A cap on hooks at one instant stops it.
-- exit: 4
-- message: event limit exceeded
-- seconds: 20
-- rss-mib: 150
scenario { title = "zero", start = "2026-01-01", stop = "2026-02-01" }
local function again() after(seconds(0), again) end
again()
