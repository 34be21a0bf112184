-- clean.lua: nothing for `detente check` to report.
-- expect-exit: 0
-- expect: is clean (setup and 8 smoke runs)
scenario { title = "check: clean", start = "2026-01-01", stop = "2026-06-30" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
local p = param("p_yes", 0.5, "chance of yes")
local delay = param("delay", 10, "days before the answer")
decision("answer", { options = { "yes", "no" }, default = "no" })
policy(usa, "answer", function() return rng.bernoulli(p) and "yes" or "no" end)
policy(rus, "answer", "no")
local said
at("2026-02-01", function()
  after(days(param.delay), function() said = usa:decide("answer") end)
end)
outcome("said", function() return said end)
outcome("delay", function() return delay end)
