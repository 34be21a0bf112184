-- tests/lua/stdlib_policies.lua: the trust/tension model (effects, clamping),
-- willingness to answer, and the relational policies.
scenario { title = "stdlib: policies", start = "2030-01-01", stop = "2030-06-01" }
local policies = require "detente.policies"

local function eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end
local function near(got, want, tol, what)
  if math.abs(got - want) > tol then
    error(("%s: got %.4f, want %.4f"):format(what, got, want), 2)
  end
end

local a = state { id = "A", name = "A" }
local b = state { id = "B", name = "B" }
local c = state { id = "C", name = "C" }
policies.init_relations(a, b, 0.5, 0.5)
eq(a:relation(b, "trust"), 0.5, "init trust a->b");
eq(b:relation(a, "trust"), 0.5, "init trust b->a")
eq(b:relation(a, "tension"), 0.5, "tension is mutual")

-- react: the observer's trust in the actor, the pair's tension
policies.react(a, "accept", { to = b })
near(b:relation(a, "trust"), 0.6, 1e-9, "accept: +0.10 trust")
near(a:relation(b, "trust"), 0.5, 1e-9, "the actor's own trust does not move")
near(a:relation(b, "tension"), 0.42, 1e-9, "accept: -0.08 tension, both ways")
local obs = policies.react(a, "negative_statement")
eq(#obs, 2, "a statement to all reaches every other state");
eq(obs[1].id, "B", "in declaration order")
for _ = 1, 50 do policies.react(a, "nuclear_test") end
eq(b:relation(a, "trust"), 0, "trust saturates at 0");
eq(b:relation(a, "tension"), 1, "tension saturates at 1")
policies.set_effect("custom", 0.5, -0.5)
policies.react(a, "custom", { to = b, scale = 2 })
eq(b:relation(a, "trust"), 1, "scaled effect, clamped at 1")
local ok = pcall(policies.react, a, "no_such_kind")
eq(ok, false, "unknown kind is an error")

-- willingness: base at 0.5/0.5, rises with trust, falls with tension
policies.init_relations(a, c, 0.5, 0.5)
near(policies.willingness(a, c, { base = 0.3 }), 0.3, 1e-9, "base at neutral relations")
a:set_relation(c, "trust", 0.9)
local w_hi = policies.willingness(a, c, { base = 0.3 })
a:set_relation(c, "tension", 0.9, "mutual")
local w_tense = policies.willingness(a, c, { base = 0.3 })
if not (w_hi > 0.3 and w_tense < w_hi) then error("willingness not monotone") end
local d = policies.answer_delay(a, c)
if not (now() < now() + d) then error("answer_delay must be a positive duration") end

-- relational policies: answers are options of the decision, trust shifts them
policies.declare_standard()
policies.declare_standard()   -- no-op the second time
local pol = policies.answer_offer { accept = 0.3, reject = 0.3, silence = 0.4 }
local function share(trust, tension)
  a:set_relation(c, "trust", trust); a:set_relation(c, "tension", tension, "mutual")
  local n = 0
  for _ = 1, 2000 do
    local o = pol { state = a, other = c, options = { "accept", "reject", "counter", "silence" } }
    if o == "counter" then error("counter has weight 0 and must never be chosen") end
    if o == "accept" then n = n + 1 end
  end
  return n / 2000
end
local friendly, hostile = share(1, 0), share(0, 1)
if not (friendly > hostile + 0.2) then
  error(("trust should raise acceptance: %.2f vs %.2f"):format(friendly, hostile))
end
local react = policies.react_to_test { ignore = 1, protest = 0, reciprocate = 0 }
eq(react { state = a, other = c, options = { "ignore", "protest", "reciprocate" } }, "ignore",
   "only ignore has weight")
eq(policies.weights({ accept = 1 }).weights.accept, 1, "declarative weights")
-- a decision answered by a relational policy through the engine
policy(a, "answer_offer", pol)
local ran = {}
at("2030-02-01", function()
  local ans = a:decide("answer_offer", { other = c })
  if ans ~= "accept" and ans ~= "reject" and ans ~= "silence" then
    error("bad answer " .. tostring(ans))
  end
  log("stdlib_policies: all checks passed")
  ran[#ran + 1] = "2030-02-01"
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2030-02-01"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
