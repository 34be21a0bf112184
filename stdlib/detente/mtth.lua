--- detente.mtth: mean-time-to-happen events, in the manner of Paradox's grand
-- strategy games.
--
-- An MTTH event has a mean waiting time (say 180 days) and modifiers that scale it
-- while their condition holds ("tension above 0.6: time x 2", "a summit was held:
-- time x 0.5"). It fires at most once (or repeatedly with `repeats = true`).
--
-- How the waiting time is drawn: the hazard is constant while the modifiers do not
-- change, so the time to the event is exponential with the effective mean
--   m = mean * product(factor of each active modifier).
-- The process re-reads the modifiers every `check` (default 30 days): it draws
-- T = rng.exponential(m); if T falls within the check interval the event fires after
-- T, otherwise it waits out the interval and draws again with the new m. Because
-- the exponential is memoryless this is exact for modifiers that change only at
-- check times, and a good approximation otherwise.
--
--   local mtth = require "detente.mtth"
--   mtth.event {
--     name = "summit_scheduled", mean = days(240),
--     modifiers = {
--       { factor = 0.5, why = "trust above 0.6",
--         when = function() return usa:relation(rus, "trust") > 0.6 end },
--       { factor = 2, why = "tension above 0.7",
--         when = function() return usa:relation(rus, "tension") > 0.7 end },
--     },
--     fire = function() ... end,
--   }
local mtth = {}
local check = require "detente.check"

---Seconds in a Duration, measured from now (months are calendar months).
local function seconds_of(d)
  local t0 = now()
  return ((t0 + d) - t0) * 86400
end

--- The effective mean of an event right now, in days, and the modifiers active.
---@param ev table the spec given to mtth.event
---@return number mean_days, table active list of modifier rows
function mtth.effective_mean(ev)
  local m = ev.mean_days
  local active = {}
  local mods = ev.modifiers or {}
  for i = 1, #mods do
    local md = mods[i]
    if md.when == nil or md.when() then
      m = m * md.factor
      active[#active + 1] = md
    end
  end
  return m, active
end

--- Start an MTTH event. Returns a handle: .fired (count), .fired_at (Date of the last
-- firing), :cancel(), and .name. The event emits "mtth.<name>" (or `kind`) each time
-- it fires, then calls fire(handle) if given.
---@param spec table { name =, mean = Duration | mean_days = n, modifiers = { {factor=, when=fn, why=} },
---  check = Duration (days(30)), fire = function(handle), kind = string, text = string,
---  repeats = false, from = date, ["until"] = date, by = State }
---@return table handle
function mtth.event(spec)
  check.fields(spec, "mtth.event", { "name", "mean", "mean_days", "modifiers", "check", "kind",
                                     "by", "text", "fire", "from", "until", "repeats" })
  if type(spec) ~= "table" or type(spec.name) ~= "string" then
    error("mtth.event: needs name = \"...\"", 2)
  end
  local mean_days = spec.mean_days
  if spec.mean ~= nil then mean_days = seconds_of(spec.mean) / 86400 end
  if type(mean_days) ~= "number" or mean_days <= 0 then
    error("mtth.event '" .. spec.name .. "': needs mean = a duration (or mean_days) > 0", 2)
  end
  local mods = spec.modifiers or {}
  for i = 1, #mods do
    local md = mods[i]
    if type(md.factor) ~= "number" or md.factor <= 0 then
      error(("mtth.event '%s': modifier %d needs factor > 0"):format(spec.name, i), 2)
    end
    if md.when ~= nil and type(md.when) ~= "function" then
      error(("mtth.event '%s': modifier %d: when must be a function"):format(spec.name, i), 2)
    end
  end
  local ev = { name = spec.name, mean_days = mean_days, modifiers = mods }
  local check_days = spec.check and (seconds_of(spec.check) / 86400) or 30
  local h = { name = spec.name, fired = 0, fired_at = nil, cancelled = false }
  function h:cancel() self.cancelled = true end
  local function fire_now()
    h.fired = h.fired + 1
    h.fired_at = now()
    local m, active = mtth.effective_mean(ev)
    local whys = {}
    for i = 1, #active do whys[#whys + 1] = active[i].why or ("x" .. active[i].factor) end
    emit { kind = spec.kind or ("mtth." .. spec.name), by = spec.by, visibility = "public",
           text = spec.text or (spec.name:gsub("_", " ")),
           data = { mean_days = math.floor(m + 0.5), modifiers = table.concat(whys, "; ") } }
    if spec.fire then spec.fire(h) end
  end
  local function process()
    if spec.from ~= nil then
      local f = date(spec.from)
      if now() < f then wait(days(f - now())) end
    end
    local stop_at = spec["until"] ~= nil and date(spec["until"]) or nil
    while not h.cancelled do
      if stop_at and not (now() < stop_at) then return end
      local m = mtth.effective_mean(ev)
      local t = math.ceil(rng.exponential(m))   -- whole days keep the timeline readable
      if t <= check_days then
        wait(days(t))
        if h.cancelled or (stop_at and not (now() < stop_at)) then return end
        fire_now()
        if not spec.repeats then return end
      else
        wait(days(check_days))
      end
    end
  end
  spawn(process)
  return h
end

--- The chance an MTTH event with a fixed mean fires within a span (for docs/tests):
-- 1 - exp(-span / mean).
---@param mean_days number
---@param span_days number
---@return number
function mtth.chance_within(mean_days, span_days)
  return 1 - math.exp(-span_days / mean_days)
end

return mtth
