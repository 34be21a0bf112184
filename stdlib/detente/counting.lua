--- detente.counting: counting rules (metrics) as reusable definitions.
--
-- A counting rule says which rows of an arsenal a treaty counts and how: for
-- example "warheads on deployed ICBMs and SLBMs, plus one per deployed heavy
-- bomber". The engine evaluates rules in C; this module only describes them,
-- defines them once per run and builds treaties from them in a few lines.
--
-- Usage:
--   local counting = require "detente.counting"
--   treaty { id = "nst", parties = { usa, rus }, limits = counting.new_start_limits() }
--   counting.treaty { id = "inf", parties = { usa, rus },
--                     limits = { counting.ban("inf_range_missiles", { "GLCM_INF", "GLBM_INF" }) } }
--
-- A rule is a plain table { name =, doc =, terms = { term, ... } } where a term is
-- { categories = {...} or "*", count = "deployed"|"nondeployed"|"launchers"|"warheads",
--   weight = integer (default 1), accountable = boolean (default true) }.
local counting = {}

local COUNTS = { deployed = true, nondeployed = true, launchers = true, warheads = true,
                 missiles = true, deployed_missiles = true, reloads = true }

--- The three central limits of New START as counting rules.
-- Source: treaty.json "central_limits" and "counting_rules" (state.gov aggregate
-- numbers page; heavy bomber = 1 warhead: armscontrol.org/factsheets/USStratNukeForceNewSTART).
counting.NEW_START = {
  {
    name = "deployed_launchers",
    doc = "New START Art. II(a): deployed ICBMs + deployed SLBMs + deployed heavy bombers \z
        (limit 700)",
    terms = { { categories = { "ICBM", "SLBM", "BOMBER" }, count = "deployed" } },
    limit = 700,   -- state.gov Feb 2011-Sep 2020 aggregate numbers page
  },
  {
    name = "deployed_warheads",
    doc = "New START Art. II(b): warheads on deployed ICBMs and SLBMs + 1 per deployed heavy \z
        bomber (limit 1,550)",
    terms = {
      { categories = { "ICBM", "SLBM" }, count = "warheads" },
      -- Each deployed heavy bomber counts as ONE warhead, whatever it carries
      -- (armscontrol.org/factsheets/USStratNukeForceNewSTART).
      { categories = { "BOMBER" }, count = "deployed", weight = 1 },
    },
    limit = 1550,  -- state.gov aggregate numbers page
  },
  {
    name = "total_launchers",
    doc = "New START Art. II(c): deployed and non-deployed ICBM launchers, SLBM launchers and \z
        heavy bombers (limit 800)",
    terms = { { categories = { "ICBM", "SLBM", "BOMBER" }, count = "launchers" } },
    limit = 800,   -- state.gov aggregate numbers page
  },
}

---Copy a list (shallow).
local function copy_list(t)
  local r = {}
  for i = 1, #t do r[i] = t[i] end
  return r
end

---A table, or a read-only view of one (the tables of a standard-library module such as
---counting.NEW_START are shared by every run: detente.type gives "Module").
local function is_table(v) return type(v) == "table" or detente.type(v) == "Module" end

---Check a rule table; raise a clear error naming the rule when it is malformed.
---@param rule table
local function check_rule(rule)
  if not is_table(rule) then error("counting: a rule must be a table", 3) end
  if type(rule.name) ~= "string" or rule.name == "" then
    error("counting: a rule needs name = \"...\"", 3)
  end
  if rule.fn ~= nil then
    if type(rule.fn) ~= "function" then
      error("counting rule '" .. rule.name .. "': fn must be a function", 3)
    end
    return
  end
  if not is_table(rule.terms) or #rule.terms == 0 then
    error("counting rule '" .. rule.name
          .. "': needs terms = { {categories=..., count=...}, ... } or fn", 3)
  end
  for i = 1, #rule.terms do
    local t = rule.terms[i]
    if not is_table(t) then
      error(("counting rule '%s': term %d is not a table"):format(rule.name, i), 3)
    end
    if not COUNTS[t.count] then
      error(("counting rule '%s': term %d: count must be deployed, nondeployed, launchers, \z
          warheads, missiles, deployed_missiles or reloads"):format(rule.name, i), 3)
    end
    if t.categories ~= "*" and not is_table(t.categories) then
      error(("counting rule '%s': term %d: categories must be a list or \"*\""):format(
          rule.name, i), 3)
    end
    if t.weight ~= nil and math.type(t.weight) ~= "integer" then
      error(("counting rule '%s': term %d: weight must be a whole number"):format(rule.name, i), 3)
    end
  end
end

--- Define a counting rule as an engine metric, once per run. Defining the same
-- name again is a no-op (so several modules may ask for the same rule).
---@param rule table { name=, doc=, terms= } or { name=, doc=, fn=function(state) }
---@return string name the metric name, for treaty limits and treaty:count
function counting.define(rule)
  check_rule(rule)
  local spec = { name = rule.name, doc = rule.doc }
  if rule.fn then spec.fn = rule.fn else spec.terms = rule.terms end
  if not metric(rule.name) then metric(spec) end
  return rule.name
end

--- Define New START's three central-limit metrics.
---@return table names { launchers = "deployed_launchers", warheads = "deployed_warheads", total = "total_launchers" }
function counting.new_start()
  for i = 1, #counting.NEW_START do counting.define(counting.NEW_START[i]) end
  return { launchers = "deployed_launchers", warheads = "deployed_warheads",
           total = "total_launchers" }
end

--- The New START limits as a list for treaty{ limits = ... }, defining the metrics.
---@return table limits { {metric=, max=}, ... } in treaty order (700, 1550, 800)
function counting.new_start_limits()
  counting.new_start()
  local r = {}
  for i = 1, #counting.NEW_START do
    local rule = counting.NEW_START[i]
    r[i] = { metric = rule.name, max = rule.limit }
  end
  return r
end

--- A rule counting launchers (deployed and non-deployed) and, optionally,
-- missiles of some categories: the shape of a ban such as INF's on ground-launched
-- missiles of 500-5,500 km range (the scenario gives them a category of their own,
-- e.g. "GLCM_INF"). Combine it with max = 0.
---@param name string metric name
---@param categories string[] categories the ban covers
---@param doc string|nil
---@return table rule
function counting.ban_rule(name, categories, doc)
  return {
    name = name,
    doc = doc or ("launchers of " .. table.concat(categories, ", ") .. " (banned: limit 0)"),
    -- accountable = false: a ban counts every row of the category, declared or not.
    terms = { { categories = copy_list(categories), count = "launchers", accountable = false } },
  }
end

--- Define a ban (see ban_rule) and return its limit entry { metric =, max = 0 }.
---@param name string
---@param categories string[]
---@param doc string|nil
---@return table limit
function counting.ban(name, categories, doc)
  return { metric = counting.define(counting.ban_rule(name, categories, doc)), max = 0 }
end

--- A rule counting the systems whose range (km) lies in a band, ends included:
-- the shape of the INF Treaty's ban on ground-launched missiles of 500-5,500 km
-- (INF Treaty Art. II.5-6, state.gov/t/avc/trty/102360.htm). By default it counts
-- missiles (loaded and reloads) on ground-based systems of any category,
-- accountable or not; combine it with max = 0 for a ban.
---@param min_km number
---@param max_km number
---@param opts table|nil { name =, count = "missiles", basing = "ground"|{...}|false, categories = "*", doc = }
---@return table rule
function counting.range(min_km, max_km, opts)
  opts = opts or {}
  if type(min_km) ~= "number" or type(max_km) ~= "number" or min_km < 0 or max_km < min_km
      or max_km <= 0 then
    error("counting.range: needs 0 <= min_km <= max_km, max_km > 0", 2)
  end
  local count = opts.count or "missiles"
  if not COUNTS[count] then
    error("counting.range: unknown count '" .. tostring(count) .. "'", 2)
  end
  local basing = opts.basing
  if basing == nil then basing = "ground" end
  local term = { categories = opts.categories or "*", count = count, range = { min_km, max_km },
                 accountable = false }
  if basing then term.basing = basing end
  local name = opts.name or ("%s_%g_%g_km"):format(count, min_km, max_km)
  local where = basing and (type(basing) == "table" and table.concat(basing, "/") or basing)
      .. "-based " or ""
  return {
    name = name,
    doc = opts.doc
        or ("%s of %ssystems with a range of %g-%g km"):format(count, where, min_km, max_km),
    terms = { term },
  }
end

--- A rule counting one quantity over some categories, e.g.
-- counting.simple("icbm_warheads", {"ICBM"}, "warheads").
---@param name string
---@param categories string[]|string list or "*"
---@param count string deployed|nondeployed|launchers|warheads
---@param doc string|nil
---@return table rule
function counting.simple(name, categories, count, doc)
  return {
    name = name, doc = doc,
    terms = { { categories = categories == "*" and "*" or copy_list(categories), count = count } },
  }
end

--- Build a treaty from rules in a few lines: each limit is { rule = <rule table or
-- metric name (New START rule names are defined on the way)>, max = n }, or
-- { metric = name, max = n } as counting.ban returns. Metrics are defined as needed; every other
-- field goes to treaty{} unchanged (id, name, parties, signed, in_force, expires, attributes).
---@param spec table
---@return any treaty the Treaty handle
function counting.treaty(spec)
  local args, limits = {}, {}
  local keys = {}
  for k in pairs(spec) do keys[#keys + 1] = k end
  table.sort(keys)   -- copying in a fixed order keeps runs reproducible
  for i = 1, #keys do
    local k = keys[i]
    if k ~= "limits" then args[k] = spec[k] end
  end
  local ls = spec.limits or {}
  for i = 1, #ls do
    local l = ls[i]
    local name = l.metric
    if l.rule ~= nil then
      if type(l.rule) == "string" then
        name = l.rule
        -- A New START rule named by its name is defined on the way.
        for j = 1, #counting.NEW_START do
          if counting.NEW_START[j].name == name then counting.define(counting.NEW_START[j]) end
        end
      else
        name = counting.define(l.rule)
      end
    end
    if type(name) ~= "string" then
      error("counting.treaty: limit " .. i .. " needs rule = or metric =", 2)
    end
    if type(l.max) ~= "number" or l.max < 0 then
      error("counting.treaty: limit " .. i .. " needs max >= 0", 2)
    end
    limits[i] = { metric = name, max = l.max }
  end
  args.limits = limits
  return treaty(args)
end

---Whether a category name is in a term's category list.
local function covers(categories, cat)
  if categories == "*" then return true end
  if type(categories) == "string" then return categories == cat end
  for i = 1, #categories do if categories[i] == cat then return true end end
  return false
end

---Whether a system passes a term's range band and basing.
local function selects(t, s)
  if t.range then
    local r = s.range
    if not r or r < t.range[1] or r > t.range[2] then return false end
  end
  if t.basing then
    local b = t.basing
    if type(b) == "string" then return s.basing == b end
    for i = 1, #b do if b[i] == s.basing then return true end end
    return false
  end
  return true
end

--- Evaluate a rule in Lua over a state's arsenal (the same arithmetic the engine
-- does in C). Useful to check a rule by hand and in tests.
---@param rule table { terms = ... } or { fn = ... }
---@param st any State handle
---@return number value
function counting.evaluate(rule, st)
  if rule.fn then return rule.fn(st) end
  local systems = st:systems()
  local sum = 0
  for i = 1, #rule.terms do
    local t = rule.terms[i]
    local w = t.weight or 1
    local acc_only = t.accountable == nil or t.accountable
    for j = 1, #systems do
      local s = systems[j]
      if covers(t.categories, s.category) and (s.accountable or not acc_only) and selects(t, s) then
        local v
        if t.count == "launchers" then v = s.deployed + s.nondeployed else v = s[t.count] end
        sum = sum + w * v
      end
    end
  end
  return sum
end

--- Each limit of a treaty for one party: value, max and room left (negative when
-- over). Listed in the treaty's own order.
---@param t any Treaty handle
---@param st any State handle (a party)
---@return table rows { {metric=, value=, max=, room=}, ... }
function counting.headroom(t, st)
  local rows = {}
  local ls = t:limits()
  for i = 1, #ls do
    local v = t:count(st, ls[i].metric)
    rows[i] = { metric = ls[i].metric, value = v, max = ls[i].max, room = ls[i].max - v }
  end
  return rows
end

--- A one-line summary "deployed_launchers 688/700, ..." of a party's counts.
---@param t any Treaty handle
---@param st any State handle
---@return string
function counting.summary(t, st)
  local rows, parts = counting.headroom(t, st), {}
  for i = 1, #rows do
    parts[i] = ("%s %d/%d"):format(rows[i].metric, math.floor(rows[i].value),
                                   math.floor(rows[i].max))
  end
  return table.concat(parts, ", ")
end

return counting
