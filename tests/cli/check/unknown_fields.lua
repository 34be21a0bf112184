-- unknown_fields.lua: every unknown field is reported at once, with where it is;
-- so are a policy for an undeclared decision and hooks dated after the stop.
-- expect-exit: 1
-- expect: unknown_fields.lua:14: state: unknown field 'nmae' (did you mean 'name'?)
-- expect: unknown_fields.lua:15: system: unknown field 'deployd' (did you mean 'deployed'?)
-- expect: unknown_fields.lua:16: treaty: unknown field 'in_forse' (did you mean 'in_force'?)
-- expect: unknown_fields.lua:16: treaty: unknown field 'expire' (did you mean 'expires'?)
-- expect: unknown_fields.lua:18: every: unknown field 'untill' (did you mean 'last'?)
-- expect: unknown_fields.lua:19: policy: USA has a policy for decision 'anwser', which is not declared (declare it with decision("anwser", {options = ...}))
-- expect: unknown_fields.lua:20: at: 2031-01-01 is after the scenario's stop 2026-12-31: the hook never runs
-- expect-problems: 7
scenario { title = "check: unknown fields", start = "2026-01-01", stop = "2026-12-31" }
local rus = state { id = "RUS" }
local usa = state { id = "USA", nmae = "United States" }
usa:system { name = "MM3", category = "ICBM", deployd = 16 }
treaty { id = "t", parties = { usa, rus }, in_forse = "2020-01-01", expire = "2030-01-01" }
local n = 0
every(months(1), function() n = n + 1 end, { untill = "2026-06-30" })
policy(usa, "anwser", "yes")
at("2031-01-01", function() n = 0 end)
outcome("n", function() return n end)
