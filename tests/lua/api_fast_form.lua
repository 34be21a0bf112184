-- api_fast_form.lua: the fast form of scheduling (docs/guide.md, Performance):
-- after(d, fn, ...) passes arguments, numbers are durations in days, and the
-- light values behind durations and at()/after() hooks act like the old ones.
scenario { title = "api: fast form", start = "2026-01-01", stop = "2026-12-31" }
local function eq(a, b, what)
  if a ~= b then error(("%s: got %s, expected %s"):format(what, tostring(a), tostring(b)), 2) end
end
local function fails(fn, pattern, what)
  local ok, err = pcall(fn)
  if ok or not tostring(err):find(pattern) then error(what .. ": " .. tostring(err), 2) end
end

-- Durations: equal values compare equal, print and combine as before.
eq(days(2), days(2), "equal durations are equal")
eq(days(1) + hours(24), days(2), "sum")
eq(days(7), weeks(1), "a week is seven days")
eq(2 * days(3), days(6), "scaling from the left")
eq(tostring(days(1)), "1 day", "one day prints")
eq(tostring(hours(36)), "0 months 129600 seconds", "hours print in seconds")
eq(days(3).days, 3, "days field")
eq(hours(2).seconds, 7200, "seconds field")
eq(type(days(1)), "userdata", "a duration is still userdata")
assert(days(1) ~= months(1), "days and months differ")
eq(tostring(months(1) + days(1)), "1 months 86400 seconds", "months with days")
eq(tostring(date("2026-01-31") + months(1)), "2026-02-28", "month arithmetic unchanged")
eq(tostring(date("2026-03-01") - days(1)), "2026-02-28", "date minus a light duration")
fails(function() return days(1) - days(1) end, "subtracted from a date", "duration - duration")
fails(function() return days(1).weeks end, "no field 'weeks'", "unknown duration field")
fails(function() return date("2026-01-01") + 5 end, "can only be added to a duration",
      "date + number stays an error")
eq(getmetatable(days(1)), false, "the light values' metatable is protected")

-- Numbers as days, and arguments passed to the hook.
local got = {}
after(1.5, function(a, b, c) got[#got + 1] = tostring(now()) .. " " .. a .. b .. tostring(c) end,
      "x", "y", nil)
after(days(2), function(...) got[#got + 1] = select("#", ...) end, 1, 2, 3, 4, 5, 6, 7)
at("2026-01-05", function(n) got[#got + 1] = "at " .. n end, 42)
fails(function() after(1, print, 1, 2, 3, 4, 5, 6, 7, 8) end, "at most 7 arguments",
      "too many arguments")
fails(function() after(-1, print) end, "finite number >= 0", "negative days")
fails(function() after(0 / 0, print) end, "finite number >= 0", "NaN days")
fails(function() after("soon", print) end, "duration", "a string is no duration")
local n = 0
local e = every(7, function() n = n + 1 end)

-- Light hook handles: cancel once, then stale; fields read-only views.
local h = after(3, function() error("a cancelled hook ran") end)
eq(h.active, true, "pending hook is active")
eq(h.kind, "call", "kind")
eq(tostring(h), "Hook(call, active)", "tostring while pending")
eq(h:cancel(), true, "first cancel")
eq(h:cancel(), false, "second cancel")
eq(h.active, false, "cancelled hook inactive")
eq(tostring(h), "Hook(call, inactive)", "tostring after cancel")
fails(function() h.active = true end, "", "a hook handle cannot be written")
fails(function() return h + 1 end, "arithmetic on a Hook", "no arithmetic on hooks")
local fired = after(1, function() end)
-- The slot of a fired hook is reused; the old handle must not cancel the new one.
at("2026-01-03", function()
  eq(fired.active, false, "a fired hook is no longer active")
  local again = after(1, function() got[#got + 1] = "reused slot ran" end)
  eq(fired:cancel(), false, "old handle cannot cancel")
  eq(again.active, true, "new hook untouched")
end)

outcome("ok", function()
  eq(table.concat(got, "|"), "2026-01-02T12:00:00Z xynil|7|reused slot ran|at 42",
     "hooks ran with their arguments")
  eq(n, 52, "every(7) with a number")
  eq(e:cancel(), true, "every hook cancels")
  return true
end)
