-- tests/lua/stdlib_moves.lua: each standard move refuses bad arguments (state:move
-- returns nil, reason) and has its documented effects on proposals, treaties,
-- arsenals, relations and the timeline.
scenario { title = "stdlib: moves", start = "2025-09-22", stop = "2027-03-01" }
local nst = require "detente.treaties.new_start"
local std = require "detente.moves"
local policies = require "detente.policies"

local function eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end
local function refused(ok, why, needle, what)
  if ok then error(what .. ": the move was allowed", 2) end
  if not tostring(why):find(needle, 1, true) then
    error(what .. ": reason '" .. tostring(why) .. "' lacks '" .. needle .. "'", 2)
  end
end
local function near(got, want, what)
  if math.abs(got - want) > 1e-9 then
    error(("%s: got %.6f, want %.6f"):format(what, got, want), 2)
  end
end

local usa, rus = nst.parties()
local t = nst.treaty()
local third = state { id = "CHN", name = "China" }
local names = std.install()
std.install()   -- a second install is a no-op
eq(#moves(), #names, "every move defined once")
eq(moves()[1], "offer_extension", "moves listed in order")
policies.init_relations(usa, rus, 0.5, 0.5)

local seen = {}
on("*", function(ev) seen[ev.kind] = (seen[ev.kind] or 0) + 1 end)

local ran = {}
at("2025-09-22", function()
  -- offer_extension
  local ok, why = rus:move("offer_extension", { to = usa, treaty = "nope", years = 1 })
  refused(ok, why, "no treaty 'nope'", "bad treaty")
  ok, why = rus:move("offer_extension", { to = rus, treaty = t, years = 1 })
  refused(ok, why, "itself", "offer to self")
  ok, why = rus:move("offer_extension", { to = usa, treaty = t })
  refused(ok, why, "years, months or days", "no duration")
  ok, why = rus:move("offer_extension", { to = usa, treaty = t, years = 1.5 })
  refused(ok, why, "whole number", "fractional years")
  ok, why = rus:move("offer_extension", { to = third, treaty = t, years = 1 })
  refused(ok, why, "not a party", "offer to a non-party")
  ok, why = third:move("offer_extension", { to = usa, treaty = t, years = 1 })
  refused(ok, why, "not a party", "offer by a non-party")
  ok, why = rus:move("offer_extension",
                     { to = usa, treaty = t, years = 1, deadline = "2025-01-01" })
  refused(ok, why, "future", "past deadline")
  ok, why = rus:move("offer_extension", { to = usa, treaty = t, years = 1, conditions = { 1 } })
  refused(ok, why, "conditions must be a list of texts", "bad conditions")

  local p = rus:move("offer_extension", { to = usa, treaty = t, years = 1, deadline = "2026-02-05",
                                           conditions = { "the US does the same" } })
  eq(p.status, "pending", "offer pending"); eq(p.kind, "extension", "offer kind")
  eq(p.terms.years, 1, "terms.years"); eq(p.terms.formal, false, "informal by default")
  eq(p.terms.reciprocal, true, "reciprocal by default")
  near(usa:relation(rus, "trust"), 0.54, "an offer raises the receiver's trust by 0.04")
  near(usa:relation(rus, "tension"), 0.47, "and lowers tension by 0.03")
  eq(seen["proposal.made"], 1, "proposal.made on the timeline")

  -- answer_offer
  ok, why = rus:move("answer_offer", { proposal = p, answer = "accept" })
  refused(ok, why, "not made to RUS", "answering one's own offer")
  ok, why = usa:move("answer_offer", { proposal = p, answer = "maybe" })
  refused(ok, why, "is not one of accept, reject, counter, silence", "unknown answer")
  ok, why = usa:move("answer_offer", { proposal = p, answer = "counter" })
  refused(ok, why, "needs terms", "counter without terms")
  eq(usa:move("answer_offer", { proposal = p, answer = "silence" }), true, "silence allowed")
  eq(p.status, "pending", "silence leaves the offer pending")
  eq(seen["proposal.silence"], 1, "silence is on the timeline")
  near(rus:relation(usa, "trust"), 0.48, "silence costs 0.02 trust")
  eq(usa:move("answer_offer", { proposal = p, answer = "accept", why = "test" }), true, "accept")
  eq(p.status, "accepted", "accepted")
  eq(tostring(t:pledged_until(usa)), "2027-02-05",
     "informal reciprocal offer: US pledged expiry + 1 year")
  eq(tostring(t:pledged_until(rus)), "2027-02-05", "and Russia too")
  ok, why = usa:move("answer_offer", { proposal = p, answer = "reject" })
  refused(ok, why, "already accepted", "answering twice")

  -- counter, then withdraw_offer
  local p2 = rus:move("offer_extension", { to = usa, treaty = t, months = 6 })
  local c = usa:move("answer_offer",
                     { proposal = p2, answer = "counter", terms = { treaty = t, months = 3 } })
  eq(p2.status, "countered", "countered"); eq(c.status, "pending", "counter pending")
  eq(c.from.id, "USA", "counter goes back"); eq(c.terms.months, 3, "counter terms")
  ok, why = rus:move("withdraw_offer", { proposal = c })
  refused(ok, why, "only the proposer", "withdrawing the other's offer")
  eq(usa:move("withdraw_offer", { proposal = c, why = "changed mind" }), true, "withdraw")
  eq(c.status, "withdrawn", "withdrawn")

  -- unilateral offer = immediate pledge
  eq(rus:move("offer_extension", { treaty = t, years = 2, unilateral = true }), true, "unilateral")
  eq(tostring(t:pledged_until(rus)), "2028-02-05", "unilateral pledge: expiry + 2 years")

  -- public_statement
  ok, why = usa:move("public_statement", { text = "" });
  refused(ok, why, "non-empty", "empty statement")
  ok, why = usa:move("public_statement", { text = "x", tone = "angry" });
  refused(ok, why, "tone: 'angry' is not one of positive, negative, neutral", "bad tone")
  ok, why = usa:move("public_statement", { text = "x", to = usa });
  refused(ok, why, "itself", "statement to self")
  local before = rus:relation(usa, "trust")
  eq(usa:move("public_statement", { text = "good idea", tone = "positive", to = rus,
                                    speaker = "Trump" }), true, "statement")
  near(rus:relation(usa, "trust"), before + 0.03, "a positive statement raises trust by 0.03")
  eq(seen["statement.made"], 1, "statement on the timeline")
  local before_chn = third:relation(usa, "trust")
  usa:move("public_statement", { text = "bad", tone = "negative" })
  near(third:relation(usa, "trust"), math.max(0, before_chn - 0.03),
       "a statement to all reaches third states")

  -- pledge
  ok, why = usa:move("pledge", { treaty = t, ["until"] = "2020-01-01" });
  refused(ok, why, "future", "past pledge")
  ok, why = usa:move("pledge", { treaty = t }); refused(ok, why, "until", "pledge without a date")
  ok, why = third:move("pledge", { treaty = t, years = 1 });
  refused(ok, why, "not a party", "non-party pledge")
  eq(usa:move("pledge", { treaty = t, ["until"] = "2028-06-01", text = "we keep the limits" }),
     true, "pledge")
  eq(tostring(t:pledged_until(usa)), "2028-06-01", "pledged until")

  -- request_summit
  ok, why = usa:move("request_summit", { to = usa }); refused(ok, why, "itself", "summit with self")
  ok, why = usa:move("request_summit", { to = rus, preconditions = { 5 } });
  refused(ok, why, "preconditions must be a list of texts", "bad preconditions")
  local before_t = rus:relation(usa, "trust")
  local s = usa:move("request_summit", { to = rus, venue = "Budapest",
                                         preconditions = { "concrete results", "a ceasefire" } })
  eq(s.kind, "summit", "summit proposal"); eq(s.terms.venue, "Budapest", "venue")
  eq(#s.terms.preconditions, 2, "preconditions kept")
  near(rus:relation(usa, "trust"), before_t + 0.02 - 2 * 0.01,
       "summit request +0.02, each precondition -0.01")

  -- link_issues
  ok, why = rus:move("link_issues", { to = usa }); refused(ok, why, "issue is required", "no issue")
  ok, why = rus:move("link_issues", { to = usa, issue = "flights", stance = "threat" });
  refused(ok, why, "stance: 'threat' is not one of offer, demand, warning", "bad stance")
  local ten = usa:relation(rus, "tension")
  eq(rus:move("link_issues", { to = usa, issue = "direct flights", linked_to = "New START" }), true,
     "linkage")
  near(usa:relation(rus, "tension"), ten + 0.03, "a linkage demand raises tension by 0.03")
  eq(seen["linkage.made"], 1, "linkage on the timeline")

  -- weapon_test: the others react only once it is announced
  ok, why = rus:move("weapon_test", {});
  refused(ok, why, "system is required", "test without a system")
  ok, why = rus:move("weapon_test", { system = "Burevestnik", announce_after = "soon" });
  refused(ok, why, "announce_after: 'soon' is not a duration", "bad delay")
  local ten2 = usa:relation(rus, "tension")
  eq(rus:move("weapon_test", { system = "Burevestnik", announce_after = days(5) }), true, "test")
  eq(seen["test.conducted"], 1, "test conducted")
  near(usa:relation(rus, "tension"), ten2, "no reaction before the announcement")
  local at_announcement
  on("test.announced", function() at_announcement = usa:relation(rus, "tension") end)
  after(days(5), function()   -- runs after the move's own announcement, scheduled first
    eq(seen["test.announced"], 1, "announced after 5 days")
    near(usa:relation(rus, "tension"), math.min(1, at_announcement + 0.08),
         "tension +0.08 once announced")
    ran[#ran + 1] = "announced"
  end)

  -- upload / download
  ok, why = rus:move("upload", { system = "Nope", n = 1 });
  refused(ok, why, "no system", "unknown system")
  ok, why = rus:move("upload", { system = "ICBM force", n = 0 });
  refused(ok, why, "n must be at least 1", "zero warheads")
  ok, why = rus:move("upload", { system = "ICBM force", n = 10, per_month = 5, per_day = 1 });
  refused(ok, why, "one rate", "two rates")
  ok, why = rus:move("upload", { system = "ICBM force", n = 1000 });
  refused(ok, why, "can carry", "beyond capacity")
  ok, why = rus:move("upload", { system = "Burevestnik", n = 1 });
  refused(ok, why, "no deployed launchers", "nothing deployed")
  ok, why = usa:move("download", { system = "Minuteman III", n = 401 });
  refused(ok, why, "fewer than", "download too many")
  eq(usa:move("download", { system = "Minuteman III", n = 10 }), true, "immediate download")
  eq(usa:system("Minuteman III").warheads, 390, "downloaded at once")
  local ch = rus:move("upload", { system = "ICBM force", n = 60, per_month = 30 })
  eq(ch.total, 60, "gradual upload returns the change")
  eq(rus:system("ICBM force").warheads, 852, "nothing added yet")
  ran[#ran + 1] = "2025-09-22"
end)

at("2025-12-01", function()
  eq(rus:system("ICBM force").warheads, 912, "60 added at 30 a month by December")
  eq(t:complies(rus), false, "the move does not refuse to breach")
  log("stdlib_moves: all checks passed")
  ran[#ran + 1] = "2025-12-01"
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2025-09-22,announced,2025-12-01"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
