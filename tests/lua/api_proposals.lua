-- api_proposals.lua: the proposal lifecycle and the terms the engine applies.
scenario { title = "api: proposals", start = "2025-09-22", stop = "2027-03-01" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
metric { name = "warheads", terms = { { categories = "*", count = "warheads" } } }
usa:system { name = "force", category = "ICBM", deployed = 100, warheads = 100 }
rus:system { name = "force", category = "ICBM", deployed = 100, warheads = 100 }
local t = treaty { id = "nst", name = "Treaty", parties = { usa, rus },
                   limits = { { metric = "warheads", max = 150 } },
                   in_force = "2011-02-05", expires = "2026-02-05", max_extensions = 1 }
local seen = {}
on("proposal.*", function(ev) seen[#seen + 1] = ev.kind .. ":" .. ev.proposal.id end)
local p1 = rus:propose { to = usa, kind = "extension", deadline = "2026-02-05",
                         terms = { treaty = t, years = 1, reciprocal = true,
                                   note = "no inspections" } }
assert(p1.id == "P1" and p1.status == "pending" and p1.pending, "new proposal is pending")
assert(p1.terms.note == "no inspections", "scenario terms are kept")
assert(p1.from == rus and p1.to == usa, "from and to")
p1.attrs.channel = "Security Council"            -- a scenario attribute
assert(p1.channel == "Security Council", "attributes on proposals")
assert(not pcall(function() p1.status = "accepted" end), "status is read-only")
local ran = {}
at("2025-10-05", function() p1:respond("silence"); ran[#ran + 1] = "2025-10-05" end)
at("2025-11-01", function()
  assert(p1.status == "pending", "silence leaves it pending")
  p1:accept("both sides keep the limits")
  assert(p1.status == "accepted", "accepted")
  local ok, err = pcall(p1.reject, p1)
  assert(not ok and err:find("already accepted"), "no second answer: " .. tostring(err))
  -- informal: the treaty still expires, the parties pledge one year beyond
  assert(tostring(t:pledged_until(usa)) == "2027-02-05", "US pledge until expiry + 1 year")
  assert(tostring(t:pledged_until(rus)) == "2027-02-05", "RU pledge until expiry + 1 year")
  ran[#ran + 1] = "2025-11-01"
end)
local p2 = usa:propose { to = rus, kind = "summit", deadline = days(30) }
local p3 = usa:propose { to = rus, kind = "data exchange" }
at("2025-10-01", function()
  local c = p3:counter { terms = { frequency = "yearly" } }
  assert(p3.status == "countered" and c.from == rus and c.to == usa and c.kind == "data exchange",
         "counter goes back")
  assert(p3.countered_by == c, "the counter is linked")
  c:withdraw()
  assert(c.status == "withdrawn", "withdrawn")
  ran[#ran + 1] = "2025-10-01"
end)
at("2026-02-06", function()
  assert(t.status == "expired", "treaty expired on its date")
  assert(t:observance(usa) == "observing_unilaterally", "pledged party observes unilaterally")
  assert(t:binds(usa), "pledge binds after expiry")
  ran[#ran + 1] = "2026-02-06"
end)
outcome("events", function()
  assert(p2.status == "expired", "unanswered proposal expired at its deadline, got " .. p2.status)
  local want = "proposal.made:P1,proposal.made:P2,proposal.made:P3,proposal.countered:P3,\z
    proposal.made:P4,proposal.withdrawn:P4,proposal.expired:P2,proposal.accepted:P1"
  assert(table.concat(seen, ",") == want, "event order: " .. table.concat(seen, ","))
  assert(not t:binds(usa), "pledge over by 2027-03-01")
  return #seen
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2025-10-01,2025-10-05,2025-11-01,2026-02-06"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
