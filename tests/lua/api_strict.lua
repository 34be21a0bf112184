-- api_strict.lua: mistakes never pass silently. Every table argument rejects an
-- unknown field with the function, the field and the closest name; lists refuse
-- holes; handles, dates, durations and hooks say what they have; relations stay
-- in [0, 1]; calendar months are whole; durations compare when they can.
scenario { title = "api: strict", start = "2026-01-01", stop = "2026-12-31" }

local function fails(want, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("expected an error containing: " .. want, 2) end
  if not tostring(err):find(want, 1, true) then
    error(("wrong message:\n  got:  %s\n  want: %s"):format(tostring(err), want), 2)
  end
end

-- unknown fields, with did-you-mean
fails("state: unknown field 'nmae' (did you mean 'name'?)", state, { id = "X", nmae = "x" })
fails("state: unknown field 'doctrine' (it takes id, name, attrs; the scenario's own \z
    attributes go under attrs = {...})",
      state, { id = "X", doctrine = "d" })
fails("state: unexpected value at [1]: fields are named (e.g. id = ...)", state, { "X" })
fails("state: 'attrs' must be a table of the scenario's own attributes, got string", state,
      { id = "X", attrs = "hawk" })
local usa = state { id = "USA", attrs = { doctrine = "flexible response" } }
local rus = state { id = "RUS" }
local chn = state { id = "CHN" }
fails("system: unknown field 'deployd' (did you mean 'deployed'?)", usa.system, usa,
      { name = "MM3", category = "ICBM", deployd = 16 })
local mm3 = usa:system { name = "MM3", category = "ICBM", deployed = 16, warheads = 16,
                         capacity = 3,
                         attrs = { silo_field = "Malmstrom" } }
assert(mm3.silo_field == "Malmstrom", "system attributes")
fails("USA MM3: upload: unknown field 'per_mnth' (did you mean 'per_month'?)", mm3.upload, mm3, 3,
      { per_mnth = 1 })
fails("metric: unknown field 'term' (did you mean 'terms'?)", metric, { name = "m", term = {} })
fails("metric 'm': term 1: unknown field 'categorie' (did you mean 'categories'?)", metric,
      { name = "m", terms = { { categorie = "ICBM", count = "warheads" } } })
metric { name = "w", terms = { { categories = { "ICBM" }, count = "warheads" } } }
fails("categories: 'categories' has nil at position 1", metric,
      { name = "m2", terms = { { categories = { nil, "ICBM" }, count = "warheads" } } })
fails("treaty: unknown field 'in_forse' (did you mean 'in_force'?)", treaty,
      { id = "t", parties = { usa, rus }, in_forse = "2020-01-01" })
fails("treaty: unknown field 'expire' (did you mean 'expires'?)", treaty,
      { id = "t", parties = { usa, rus }, expire = "2030-01-01" })
fails("treaty 't': limit 1: unknown field 'maximum'", treaty,
      { id = "t", parties = { usa, rus }, limits = { { metric = "w", maximum = 5 } } })
-- lists of handles: holes and wrong counts
local undefined_state = nil
fails("treaty 't': 'parties' must list at least 2 states, got 1 (a nil at the end of a list is \z
    dropped",
      treaty, { id = "t", parties = { usa, undefined_state } })
fails("treaty 't': 'parties' has nil at position 2", treaty,
      { id = "t", parties = { usa, undefined_state, rus } })
fails("treaty 't': 'parties' must be a list of states, but it has the key 'x'", treaty,
      { id = "t", parties = { usa, rus, x = chn } })
local t = treaty { id = "t", parties = { usa, rus }, limits = { { metric = "w", max = 20 } },
                   in_force = "2020-01-01", expires = "2030-01-01", attrs = { inspections = 18 } }
assert(t.inspections == 18 and t.attrs.inspections == 18, "treaty attributes")
fails("propose: unknown field 'deadlin' (did you mean 'deadline'?)", usa.propose, usa,
      { to = rus, kind = "talks", deadlin = "2026-06-01" })
local p = usa:propose { to = rus, kind = "talks", terms = { topic = "arms" } }
assert(p.terms.topic == "arms", "a proposal's terms")
fails("counter: unknown field 'term' (did you mean 'terms'?)", p.counter, p, { term = {} })
fails("decision 'answer': unknown field 'option' (did you mean 'options'?)", decision, "answer",
      { option = { "yes", "no" } })
fails("decision 'answer': 'options' has nil at position 1", decision, "answer",
      { options = { nil, "no" } })
decision("answer", { options = { "yes", "no" }, default = "no" })
fails("policy: unknown field 'weight' (did you mean 'weights'?)", policy, usa, "answer",
      { weight = { yes = 1 } })
fails("move 'm': unknown field 'aply' (did you mean 'apply'?)", move, "m",
      { aply = function() end })
fails("emit: unknown field 'txt' (did you mean 'text'?)", emit, { kind = "x.y", txt = "hello" })
fails("every: unknown field 'strat' (did you mean 'first'?)", every, days(1), function() end,
      { strat = "2026-02-01" })
fails("every: unknown field 'until' (did you mean 'last'?)", every, days(1), function() end,
      { ["until"] = "2026-02-01" })
fails("every: unknown field 'untill' (did you mean 'last'?)", every, days(1), function() end,
      { untill = "2026-02-01" })
fails("every: unknown field 'from' (did you mean 'first'?)", every, days(1), function() end,
      { from = "2026-02-01" })
fails("every: last (2026-01-05) comes before the first firing (2026-02-01)", every, days(1),
      function() end,
      { first = "2026-02-01", last = "2026-01-05" })
fails("param 'p': unknown field 'mx' (did you mean 'max'?)", param, "p", 1, { doc = "d", mx = 2 })
fails("outcome 'o': unknown field 'dco' (did you mean 'doc'?)", outcome, "o", function() end,
      { dco = "d" })
fails("scenario: called twice", scenario, { start = "2026-01-01", stop = "2026-02-01" })

-- handles: methods, fields and attributes
fails("Treaty(t, in_force) has no field or method 'suspnd' (did you mean 'suspend'?)",
      function() return t.suspnd end)
fails("State USA has no field or method 'relatoin' (did you mean 'relation'?)",
      function() usa:relatoin(rus, "trust") end)
fails("State USA has no field or method 'doctrin' (did you mean 'doctrine'?)",
      function() return usa.doctrin end)
fails("State RUS has no field or method 'zzz' (methods:", function() return rus.zzz end)
fails("State USA has no attribute 'mood'", function() usa.mood = "calm" end)
usa.attrs.mood = "cautious"; usa.mood = "calm"
assert(usa.mood == "calm" and usa.attrs.mood == "calm" and usa.doctrine == "flexible response",
       "attributes")
assert(usa.attrs.unset == nil, "optional attributes read through .attrs")
fails("State.attrs is the engine's", function() usa.attrs = {} end)
fails(
    "Proposal(P1 talks USA->RUS, pending) has no field or method 'acept' (did you mean 'accept'?)",
    function() return p.acept end)

-- hooks, dates, durations
local h = at("2026-03-01", function() end)
fails("Hook has no field or method 'cancle' (did you mean 'cancel'?)", function() h:cancle() end)
fails("Date has no field 'dya' (did you mean 'day'?)", function() return now().dya end)
fails("Duration has no field 'dayz' (did you mean 'days'?)", function() return days(2).dayz end)
assert(days(2).days == 2 and weeks(1).days == 7 and months(3).months == 3
       and days(1).seconds == 86400, "duration fields")
fails("Duration 1 month has no fixed number of days", function() return months(1).days end)
fails("months(1.5): calendar months are whole (their length varies); for a fraction use days, \z
    e.g. days(46)", months, 1.5)
fails("years(0.5): calendar years are whole", years, 0.5)
assert(days(1) < days(2) and days(2) <= days(2) and not (days(3) < days(2)),
       "fixed durations order")
assert(months(1) < months(2) and years(1) == months(12), "calendar durations order")
assert(months(1) < days(32) and days(27) < months(1) and months(2) > days(40),
       "order that no calendar changes")
assert(months(1) ~= days(30), "equal only with the same months and seconds")
fails("cannot order 1 month and 30 days: a calendar month is 28 to 31 days",
      function() return months(1) < days(30) end)

-- relations are in [0, 1]: set_relation refuses, adjust clamps
fails("set_relation: USA trust RUS = 1.5 is outside [0, 1]", usa.set_relation, usa, rus, "trust",
      1.5)
usa:set_relation(rus, "trust", 0.9)
assert(usa:adjust(rus, "trust", 0.5) == 1 and usa:relation(rus, "trust") == 1, "adjust clamps at 1")
assert(usa:adjust(rus, "trust", -3) == 0, "adjust clamps at 0")

-- decide: only from code that can wait
fails("decide: USA:decide(\"answer\") during the scenario's setup", usa.decide, usa, "answer")
at("2026-02-02", function()
  assert(chn:decide("answer") == "no", "a hook may decide")
end)
outcome("ok", function() return true end)

-- lists of values: a hole is never drawn
local undefined_item = nil
fails("rng.weighted: item 2 is nil (a misspelt or undefined variable?)", rng.weighted,
      { "a", undefined_item, "c" }, { 1, 1, 1 })
local holed, hit = { undefined_item, "c" }, nil
for _ = 1, 64 do   -- the hole is found when drawn (P(missed 64 times) = 2^-64; the seed fixes it)
  local ok, e = pcall(rng.choice, holed)
  if not ok then hit = e; break end
end
assert(hit and hit:find(
    "rng.choice: the list has nil at position 1 (a misspelt or undefined variable?)", 1, true),
       "rng.choice never returns a hole: " .. tostring(hit))

-- found by fuzz_lua_api
fails("int: lo and hi must lie within -2^53 and 2^53", dist.int, -1e308, 5)

-- the standard library checks its own option tables the same way
local mtth = require "detente.mtth"
fails("mtth.event: unknown field 'mean_day' (did you mean 'mean_days'?)", mtth.event,
      { name = "x", mean_day = 3 })
local nst = require "detente.treaties.new_start"
fails("new_start.upload_plan: unknown field 'per_mnth' (did you mean 'per_month'?)",
      nst.upload_plan,
      { state = usa, per_mnth = 60 })
