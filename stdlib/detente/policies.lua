--- detente.policies: stochastic decision policies and the trust/tension model.
--
-- The relations model
-- -------------------
-- Two numeric relations, both kept in [0, 1]:
--   * trust   a:relation(b, "trust")   how far a believes b keeps its word (directed);
--   * tension a:relation(b, "tension") how close the pair feels to confrontation
--                                      (kept symmetric: every change is "mutual").
-- Every standard move changes them through policies.react(actor, kind, {to = ...}):
-- each observer's trust in the actor moves by EFFECTS[kind].trust and the pair's
-- tension by EFFECTS[kind].tension, times an optional scale. A move seen by all
-- (a public statement, a weapon test) affects every other state; a move aimed at
-- one state (an offer, an answer) affects that state only. Values saturate at 0 and
-- 1, so a long run of hostile moves cannot push them out of range. The sizes are
-- judgement, not measurement; scenarios may change them with policies.set_effect.
--
-- Willingness to answer
-- ---------------------
-- The chance a state gives an official answer to the other within a month is
--   w = logistic(bias + k_trust * (trust - 0.5) - k_tension * (tension - 0.5)),
-- with bias = logit(base): at trust = tension = 0.5, w = base. policies.answer_delay
-- turns it into a waiting time (exponential with mean 30 / w days).
--
-- Policies
-- --------
-- policies.relational{...} builds a policy function(ctx) for policy(state, name, fn):
-- each option has a base weight, multiplied by exp(k * (relation - 0.5)) for the
-- relations it lists. The weights are plain numbers, typically scenario params, so
-- `detente mc` can vary them. Options are iterated in the decision's own order.
local policies = {}
local check = require "detente.check"

local function clamp01(x)
  if x < 0 then return 0 elseif x > 1 then return 1 end
  return x
end

--- Effect of each kind of move on relations (observer's trust in the actor; the
-- pair's tension). Ordered list; lookup by kind with policies.effect(kind).
policies.EFFECTS = {
  { kind = "positive_statement", trust = 0.03, tension = -0.02, doc = "a warm public signal" },
  { kind = "negative_statement", trust = -0.03, tension = 0.04, doc = "a hostile public signal" },
  { kind = "neutral_statement", trust = 0.0, tension = 0.0, doc = "a statement of position" },
  { kind = "offer", trust = 0.04, tension = -0.03, doc = "an offer to the other side" },
  { kind = "accept", trust = 0.10, tension = -0.08, doc = "accepting the other's offer" },
  { kind = "reject", trust = -0.05, tension = 0.05, doc = "rejecting the other's offer" },
  { kind = "counter", trust = 0.01, tension = 0.0, doc = "answering with a counter-offer" },
  { kind = "silence", trust = -0.02, tension = 0.01,
    doc = "leaving an offer unanswered (per decision)" },
  { kind = "withdraw", trust = -0.06, tension = 0.05, doc = "withdrawing one's own offer" },
  { kind = "pledge", trust = 0.06, tension = -0.04, doc = "a unilateral pledge to keep limits" },
  { kind = "summit_request", trust = 0.02, tension = -0.01, doc = "asking for a summit" },
  { kind = "summit_preconditions", trust = -0.01, tension = 0.01,
    doc = "each precondition attached to a summit" },
  { kind = "linkage", trust = -0.02, tension = 0.03,
    doc = "linking arms control to another issue" },
  { kind = "weapon_test", trust = -0.05, tension = 0.08,
    doc = "a weapon test outside the treaty, once known" },
  { kind = "nuclear_test", trust = -0.15, tension = 0.20, doc = "an explosive nuclear test" },
  { kind = "upload", trust = -0.10, tension = 0.12, doc = "starting to add deployed warheads" },
  { kind = "download", trust = 0.05, tension = -0.05, doc = "taking deployed warheads off" },
  { kind = "summit_held", trust = 0.08, tension = -0.06, doc = "a summit meeting takes place" },
  { kind = "sanctions", trust = -0.04, tension = 0.06, doc = "new economic sanctions" },
}

local BY_KIND = {}
for i = 1, #policies.EFFECTS do BY_KIND[policies.EFFECTS[i].kind] = policies.EFFECTS[i] end

-- The run's own effects (policies.set_effect), by kind: nil until the run sets one. This
-- module is loaded once per worker and shared, read-only, by its runs (docs/api.md, "Data
-- and modules"); the engine puts this upvalue back to nil when a run first requires it, so
-- a change lasts for the run that made it and no other.
local changed = nil

--- The effect row of a kind (with the run's changes), or nil.
---@param kind string
---@return table|nil { kind=, trust=, tension=, doc= }
function policies.effect(kind)
  if changed then
    local e = changed[kind]
    if e then return e end
  end
  return BY_KIND[kind]
end

--- Change (or add) the effect of a kind of move, for the rest of this run.
-- policies.EFFECTS keeps the defaults; policies.effect(kind) gives the effect in force.
---@param kind string
---@param trust number
---@param tension number
function policies.set_effect(kind, trust, tension)
  changed = changed or {}
  local e = changed[kind]
  if e then
    e.trust, e.tension = trust, tension
  else
    local d = BY_KIND[kind]
    changed[kind] = { kind = kind, trust = trust, tension = tension, doc = d and d.doc }
  end
end

--- Set a relation pair's starting trust (both directions) and tension.
---@param a any State
---@param b any State
---@param trust number in [0, 1]
---@param tension number in [0, 1]
function policies.init_relations(a, b, trust, tension)
  a:set_relation(b, "trust", clamp01(trust))
  b:set_relation(a, "trust", clamp01(trust))
  a:set_relation(b, "tension", clamp01(tension), "mutual")
end

--- Apply the effect of a move by `actor` on the states that see it: `opts.to`
-- (one state) or every other state. Returns the observers touched.
---@param actor any State
---@param kind string a kind in policies.EFFECTS
---@param opts table|nil { to = State, scale = 1 }
---@return table observers
function policies.react(actor, kind, opts)
  check.fields(opts, "policies.react", { "scale", "to" })
  local e = policies.effect(kind)
  if not e then error("policies.react: unknown kind of move '" .. tostring(kind) .. "'", 2) end
  local scale = (opts and opts.scale) or 1
  local observers = {}
  if opts and opts.to then observers[1] = opts.to
  else
    local all = states()
    for i = 1, #all do if all[i] ~= actor
        and all[i].id ~= actor.id then observers[#observers + 1] = all[i] end end
  end
  for i = 1, #observers do
    local o = observers[i]
    if e.trust ~= 0 then
      o:set_relation(actor, "trust", clamp01(o:relation(actor, "trust") + scale * e.trust))
    end
    if e.tension ~= 0 then
      o:set_relation(actor, "tension", clamp01(o:relation(actor, "tension") + scale * e.tension),
                     "mutual")
    end
  end
  return observers
end

local function logistic(x) return 1 / (1 + math.exp(-x)) end
local function logit(p)
  p = math.min(math.max(p, 1e-6), 1 - 1e-6)
  return math.log(p / (1 - p))
end

--- Chance that `st` gives `other` an official answer within a month (see the model
-- at the top of this file).
---@param st any State
---@param other any State
---@param opts table|nil { base = 0.3, k_trust = 3, k_tension = 3 }
---@return number probability in (0, 1)
function policies.willingness(st, other, opts)
  check.fields(opts, "policies.willingness", { "base", "k_trust", "k_tension" })
  opts = opts or {}
  local base = opts.base or 0.3
  local kt, kx = opts.k_trust or 3, opts.k_tension or 3
  local trust = st:relation(other, "trust")
  local tension = st:relation(other, "tension")
  return logistic(logit(base) + kt * (trust - 0.5) - kx * (tension - 0.5))
end

--- A waiting time before `st` answers `other`, drawn from the run's stream:
-- exponential with mean 30 / willingness days, rounded up to whole days.
---@param st any State
---@param other any State
---@param opts table|nil as for willingness
---@return any duration
function policies.answer_delay(st, other, opts)
  local w = policies.willingness(st, other, opts)
  return days(math.ceil(rng.exponential(30 / w)))   -- whole days: a readable timeline
end

---Resolve the counterpart of a decision from its ctx: ctx.other, else the other
---side of ctx.proposal / ctx.offer, else ctx.by.
local function counterpart(ctx)
  if ctx.other then return ctx.other end
  local p = ctx.proposal or ctx.offer
  if p then
    if p.from == ctx.state or (p.from and ctx.state and p.from.id == ctx.state.id) then
      return p.to
    end
    return p.from
  end
  return ctx.by
end

--- A policy whose option weights depend on relations with the counterpart.
-- weight(option) = base[option] * exp(trust[option] * (trust - 0.5) + tension[option] * (tension -
-- 0.5)) where trust/tension are the deciding state's relations to the counterpart (from
-- ctx.other, ctx.proposal/ctx.offer, or ctx.by). Options absent from base weigh 0.
---@param spec table { base = {option = w}, trust = {option = k}, tension = {option = k} }
---@return function policy function(ctx) -> option
function policies.relational(spec)
  check.fields(spec, "policies.relational", { "base", "trust", "tension" })
  local base = spec.base or {}
  local kt, kx = spec.trust or {}, spec.tension or {}
  return function(ctx)
    local opts = ctx.options
    local other = counterpart(ctx)
    local trust, tension = 0.5, 0.5
    if other and ctx.state then
      trust = ctx.state:relation(other, "trust")
      tension = ctx.state:relation(other, "tension")
    end
    local names, weights, total = {}, {}, 0
    for i = 1, #opts do
      local o = opts[i]
      local w = (base[o] or 0)
                * math.exp((kt[o] or 0) * (trust - 0.5) + (kx[o] or 0) * (tension - 0.5))
      names[#names + 1] = o
      weights[#weights + 1] = w
      total = total + w
    end
    if total <= 0 then return opts[1] end
    return rng.weighted(names, weights)
  end
end

--- Policy for answering an extension offer: options accept / reject / counter /
-- silence (those the decision declares). Trust raises acceptance, tension raises
-- rejection; silence keeps its base weight.
---@param p table { accept = 0.3, reject = 0.15, counter = 0, silence = 0.55, k_trust = 2, k_tension = 2 }
---@return function policy
function policies.answer_offer(p)
  p = p or {}
  local kt, kx = p.k_trust or 2, p.k_tension or 2
  return policies.relational {
    base = { accept = p.accept or 0.3, reject = p.reject or 0.15, counter = p.counter or 0,
             silence = p.silence or 0.55 },
    trust = { accept = kt, counter = kt / 2, reject = -kt },
    tension = { accept = -kx, counter = -kx / 2, reject = kx },
  }
end

--- Policy for reacting to the other side's weapon test: ignore / protest /
-- reciprocate. Tension makes protest and reciprocation likelier.
---@param p table { ignore = 0.4, protest = 0.5, reciprocate = 0.1, k_tension = 3 }
---@return function policy
function policies.react_to_test(p)
  p = p or {}
  local kx = p.k_tension or 3
  return policies.relational {
    base = { ignore = p.ignore or 0.4, protest = p.protest or 0.5,
             reciprocate = p.reciprocate or 0.1 },
    tension = { ignore = -kx, protest = kx / 2, reciprocate = kx },
  }
end

--- A declarative policy evaluated in C (cheapest): fixed weights per option.
---@param weights table { option = weight, ... }
---@return table policy spec for policy(state, name, spec)
function policies.weights(weights)
  return { weights = weights }
end

--- The standard decisions the stdlib's policies answer, declared once per run.
-- answer_offer: accept | reject | counter | silence (default silence after 30 days)
-- react_to_test: ignore | protest | reciprocate (default protest after 7 days)
-- answer_summit: accept | reject | silence (default silence after 30 days)
---@return table names
function policies.declare_standard()
  local specs = {
    { "answer_offer", { options = { "accept", "reject", "counter", "silence" }, default = "silence",
      timeout = days(30), doc = "answer an offer made to you" } },
    { "react_to_test", { options = { "ignore", "protest", "reciprocate" }, default = "protest",
      timeout = days(7), doc = "react to the other side's weapon test" } },
    { "answer_summit", { options = { "accept", "reject", "silence" }, default = "silence",
      timeout = days(30), doc = "answer a summit request" } },
  }
  local names = {}
  for i = 1, #specs do
    if not decision(specs[i][1]) then decision(specs[i][1], specs[i][2]) end
    names[i] = specs[i][1]
  end
  return names
end

return policies
