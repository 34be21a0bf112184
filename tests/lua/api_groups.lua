-- api_groups.lua: groups of states, and proposals to several states (all must
-- accept, or a quorum), with each addressee's answer and the whole lifecycle.
scenario { title = "api: groups and multilateral proposals", start = "2026-01-01",
           stop = "2026-12-31" }
local usa, rus, chn = state { id = "USA" }, state { id = "RUS" }, state { id = "CHN" }
local gbr, fra = state { id = "GBR" }, state { id = "FRA" }
local p5 = group { id = "P5", name = "Permanent five", members = { usa, rus, chn, gbr, fra } }
local nato = group { id = "NATO", members = { usa, gbr, fra }, attrs = { founded = 1949 } }
assert(p5.id == "P5" and #p5.members == 5 and p5.members[3] == chn, "members in order")
assert(nato:has(gbr) and not nato:has(rus) and nato.founded == 1949, "has, attributes")
assert(group("NATO") == nato and tostring(nato) == "Group(NATO, 3 members)", "find, tostring")
local ok, err = pcall(group, { id = "USA", members = { rus } })
assert(not ok and err:find("already exists"), tostring(err))
ok, err = pcall(group, { id = "X", members = { usa, "ZZZ" } })
assert(not ok and err:find("unknown state 'ZZZ'"), tostring(err))
ok, err = pcall(state, { id = "P5" })
assert(not ok and err:find("already"), "a state cannot take a group's id: " .. tostring(err))

-- Relations name groups: each member, both ways with "mutual".
nato:set_relation(rus, "tension", 0.6, "mutual")
assert(gbr:relation(rus, "tension") == 0.6 and rus:relation(fra, "tension") == 0.6,
       "group relations")
assert(rus:relation(nato, "tension") == 0.6, "mean over members")
usa:adjust(nato, "trust", 0.5)   -- USA to GBR and FRA, never to itself
assert(usa:relation(gbr, "trust") == 0.5 and usa:relation(usa, "trust") == 0, "no self-relation")

-- A policy for a group is each member's.
decision("join_moratorium", { options = { "accept", "reject" }, default = "reject" })
policy(nato, "join_moratorium", "accept")
policy(chn, "join_moratorium", "reject")
policy(rus, "join_moratorium", function() return "accept" end)

local seen = {}
on("proposal.*", function(ev) seen[#seen + 1] = ev.kind .. ":" .. ev.by.id end)

-- To a group: its members other than the proposer; all must accept by default.
local p = rus:propose { to = p5, kind = "moratorium", deadline = "2026-06-01" }
assert(#p.addressees == 4 and p.quorum == 4 and p.to == usa, "addressees exclude the proposer")
assert(p.answers[2].state == chn and p.answers[2].answer == "pending", "answers")
ok, err = pcall(p.accept, p)
assert(not ok and err:find("each answers"), tostring(err))
ok, err = pcall(p.counter, p)
assert(not ok and err:find("counter%-offer is bilateral"), tostring(err))
spawn(function()   -- decide waits for the answer: ask from a process (issue 13)
  for _, s in ipairs(p.addressees) do
    if p.pending then p:respond(s:decide("join_moratorium"), s) end
  end
end)
assert(p.status == "rejected", "China's no sinks it: " .. p.status)
ok, err = pcall(p.accept, p, fra)
assert(not ok and err:find("already rejected"), tostring(err))

-- A quorum: 2 of 3.
local q = usa:propose { to = { rus, chn, "GBR" }, kind = "data_exchange", quorum = 2 }
q:accept(gbr, "London agrees")
ok, err = pcall(q.accept, q, gbr)
assert(not ok and err:find("GBR has already answered"), tostring(err))
ok, err = pcall(q.accept, q, fra)
assert(not ok and err:find("FRA is not one of its addressees"), tostring(err))
assert(q.pending, "1 of 2")
q:reject(chn)
q:accept(rus)
assert(q.status == "accepted", "2 of 3 accepted")
ok, err = pcall(usa.propose, usa, { to = nato, kind = "x", quorum = 3 })
assert(not ok and err:find("'quorum' must be"), tostring(err))
local any = usa:propose { to = nato, kind = "consult", quorum = "any" }
assert(#any.addressees == 2 and any.quorum == 1, "any one of GBR, FRA")

outcome("events", function()
  local want = "proposal.made:RUS,proposal.answered:USA,proposal.answered:CHN,\z
    proposal.rejected:RUS," ..
    "proposal.made:USA,proposal.answered:GBR,proposal.answered:CHN,proposal.answered:RUS,\z
    proposal.accepted:USA," ..
    "proposal.made:USA"
  assert(table.concat(seen, ",") == want, "events: " .. table.concat(seen, ","))
  return #seen
end)
