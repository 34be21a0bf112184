-- api_treaty.lua: treaty clocks, extensions, observance and compliance from Lua.
scenario { title = "api: treaty", start = "2026-02-05", stop = "2026-12-31" }
local a, b, c = state { id = "A" }, state { id = "B" }, state { id = "C" }
metric { name = "w", doc = "all warheads", terms = { { categories = "*", count = "warheads" } } }
assert(metric("w") == "all warheads" and metric("nope") == nil,
       "metric(name) asks whether it exists")
decision("answer", { options = { "yes", "no" } })
assert(decision("answer")[2] == "no" and decision("nope") == nil,
       "decision(name) gives the options")
local sys = a:system { name = "force", category = "ICBM", deployed = 10, warheads = 10,
                       capacity = 2 }
-- Expires on the start date: it expires during the run, with an event.
local old = treaty { id = "old", parties = { a, b }, limits = { { metric = "w", max = 15 } },
                     in_force = "2011-02-05", expires = "2026-02-05", max_extensions = 1,
                     extensions = 1 }
assert(old.extensions == 1, "extensions used before the scenario")
local ok, err = pcall(old.extend, old, years(1))
assert(not ok and err:find("cannot be extended"), "no extension left: " .. tostring(err))
local seen = {}
on("treaty.*", function(ev) seen[#seen + 1] = ev.kind .. ":" .. ev.treaty.id end)
-- In force from a date within the run.
local new = treaty { id = "new", parties = { a, c }, limits = { { metric = "w", max = 15 } },
                     signed = "2026-02-05", in_force = "2026-03-01", expires = "2026-09-01",
                     max_extensions = 2 }
assert(new.status == "signed", "signed before entry into force")
ok, err = pcall(treaty, { id = "bad", parties = { a, a } })
assert(not ok and err:find("parties must differ"), tostring(err))
ok, err = pcall(old.complies, old, c)
assert(not ok and err:find("C is not a party"), tostring(err))
local ran = {}
at("2026-03-02", function()
  assert(new.status == "in_force", "in force on its date")
  assert(new:complies(a) and #new:breaches(a) == 0, "complies at 10 warheads")
  sys:upload(8)
  assert(not new:complies(a), "breach at 18 warheads")
  local br = new:breaches(a)[1]
  assert(br.metric == "w" and br.value == 18 and br.max == 15, "breach details")
  new:set_observance(a, "suspended", "test")
  assert(not new:binds(a) and new:binds(c), "a suspended party is not bound")
  new:extend(months(3))
  assert(tostring(new.expires) == "2026-12-01" and new.status == "extended", "extended by 3 months")
  ran[#ran + 1] = "2026-03-02"
end)
at("2026-06-01", function()
  new:suspend("crisis")
  assert(new.status == "suspended", "suspended")
  new:resume("crisis over")
  new:terminate("withdrawal")
  local ok2, err2 = pcall(new.resume, new)
  assert(not ok2 and err2:find("cannot go from terminated to in_force"), tostring(err2))
  ran[#ran + 1] = "2026-06-01"
end)
outcome("events", function()
  local want = "treaty.expired:old,treaty.in_force:new,treaty.breach:new,treaty.observance:new,\z
    treaty.extended:new,treaty.suspended:new,treaty.in_force:new,treaty.terminated:new"
  assert(table.concat(seen, ",") == want, "treaty events: " .. table.concat(seen, ","))
  assert(old.status == "expired" and old:observance(a) == "none",
         "expired without pledges: observance none")
  return #seen
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2026-03-02,2026-06-01"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
