-- api_time.lua: dates and durations as scripts see them.
scenario { title = "api: time", start = "2024-01-31", stop = "2024-12-31" }
local function eq(a, b, what)
  if a ~= b then error(("%s: got %s, expected %s"):format(what, tostring(a), tostring(b)), 2) end
end
eq(tostring(now()), "2024-01-31", "now at start")
eq(tostring(date("2024-01-31") + months(1)), "2024-02-29", "31 Jan 2024 + 1 month (leap)")
eq(tostring(date("2025-01-31") + months(1)), "2025-02-28", "31 Jan 2025 + 1 month")
eq(tostring(date("2024-02-29") + years(1)), "2025-02-28", "29 Feb + 1 year")
eq(tostring(date("2024-12-31") + days(1)), "2025-01-01", "year end")
eq(tostring(date("2024-03-01") - days(1)), "2024-02-29", "day before 1 Mar in a leap year")
eq(date("2026-02-05") - date("2025-09-22"), 136, "days between offer and expiry")
eq(date(2026, 2, 5), date("2026-02-05"), "date(y, m, d)")
eq(date("2026-02-05").month, 2, "month field")
assert(date("2025-01-01") < date("2025-01-02"), "ordering")
eq(tostring(days(1.5)), "0 months 129600 seconds", "days(1.5) prints")
eq(days(2) * 3, days(6), "scaling a duration")
eq(tostring(weeks(2)), "14 days", "weeks")
local ok, err = pcall(date, "2025-13-01")
assert(not ok and err:find("malformed date '2025%-13%-01'"),
       "month 13 is rejected: " .. tostring(err))
ok, err = pcall(date, 2025, 2, 29)
assert(not ok and err:find("not a calendar date"), "29 Feb 2025 rejected")
ok, err = pcall(months, 1.5)
assert(not ok and err:find("use days, e.g. days%(46%)"),
       "fractional months rejected: " .. tostring(err))
local fired = {}
at("2024-02-29", function() fired[#fired + 1] = tostring(now()) end)
after(months(1), function() fired[#fired + 1] = tostring(now()) end)
local h = every(months(1), function() fired[#fired + 1] = "every " .. tostring(now()) end,
                { last = "2024-05-31" })
local cancelled = after(days(3), function() error("a cancelled hook ran") end)
assert(cancelled:cancel() == true, "cancel returns true the first time")
outcome("fired", function()
  eq(table.concat(fired, ","), "2024-02-29,2024-02-29,every 2024-02-29,every 2024-03-31,every \z
      2024-04-30,every 2024-05-31", "fire order")
  assert(h.active, "every hook still active")
  return #fired
end)
