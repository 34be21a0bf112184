-- api_when_reads.lua: when(pred, fn, { reads = "arsenals" }) calls its predicate at the
-- first step after it is made and then only after steps that changed an arsenal, and
-- fires at the same step as the same hook without the option.
scenario { title = "api: when reads", start = "2026-01-01", stop = "2026-12-31" }
local usa = state { id = "USA" }
local rus = state { id = "RUS" }
metric { name = "warheads", terms = { { categories = { "ICBM" }, count = "warheads" } } }
local mm3 = usa:system { name = "Minuteman III", category = "ICBM", deployed = 400, capacity = 3,
                         warheads = 400 }

-- Steps that touch no arsenal: a daily hook for the whole year.
local ticks = 0
every(days(1), function() ticks = ticks + 1 end)

local calls_plain, calls_arsenal = 0, 0
local fired_plain, fired_arsenal
when(function() calls_plain = calls_plain + 1; return usa:count("warheads") > 600 end,
     function() fired_plain = now() end)
when(function() calls_arsenal = calls_arsenal + 1; return usa:count("warheads") > 600 end,
     function() fired_arsenal = now() end, { reads = "arsenals" })

-- Two direct changes on set dates, then an upload at a rate (a C clock, one step per day).
local calls_at = {}
at("2026-03-01", function()
  calls_at.before_first = calls_arsenal
  mm3:upload(100)
end)
at("2026-03-02", function() calls_at.after_first = calls_arsenal end)
at("2026-05-01", function() mm3:upload(50) end)
at("2026-06-01", function() mm3:upload(200, { per_day = 2 }) end)
-- A system added to the other state counts as an arsenal change too.
at("2026-04-01", function()
  calls_at.before_add = calls_arsenal
  rus:system { name = "Yars", category = "ICBM", deployed = 10, warheads = 10 }
end)
at("2026-04-02", function() calls_at.after_add = calls_arsenal end)

-- A when() made during the run is checked at its first step even if no arsenal changed.
local late_calls = 0
at("2026-02-01", function()
  when(function() late_calls = late_calls + 1; return false end, function() end,
       { reads = "arsenals" })
end)

local function never() return false end
local function nothing() end
local ok, err = pcall(when, never, nothing, { reads = "relations" })
assert(not ok and err:find('reads must be "arsenals"', 1, true),
       "an unknown reads value is refused: " .. tostring(err))
ok, err = pcall(when, never, nothing, { read = "arsenals" })
assert(not ok and err:find("unknown field 'read'", 1, true),
       "unknown fields are refused: " .. tostring(err))
ok, err = pcall(when, never, nothing, { reads = 1 })
assert(not ok and err:find("not number", 1, true),
       "a non-string reads is refused: " .. tostring(err))

outcome("checked", function()
  assert(fired_plain ~= nil, "the plain hook fired")
  assert(fired_arsenal == fired_plain,
         "same firing date: " .. tostring(fired_arsenal) .. " vs " .. tostring(fired_plain))
  assert(ticks > 300, "the daily hook ran")
  -- the plain predicate ran at every step until it fired; the declared one far less often
  assert(calls_plain > 150, "plain predicate calls: " .. calls_plain)
  -- 1 (first step) + 3 direct changes + one per day of the upload at 2 a day until 600 (26)
  assert(calls_arsenal == 30, "declared predicate calls: " .. calls_arsenal)
  assert(calls_at.before_first == 1,
         "one call (the first step) before any change: " .. tostring(calls_at.before_first))
  assert(calls_at.after_first == 2, "one more after the change: " .. tostring(calls_at.after_first))
  assert(calls_at.after_add == calls_at.before_add + 1, "a new system is a change")
  -- made on 1 Feb: its first step, the changes of 1 Mar, 1 Apr and 1 May, and the
  -- 100 daily steps of the upload at a rate (it never fires)
  assert(late_calls == 104, "late hook: " .. late_calls)
  return true
end)
