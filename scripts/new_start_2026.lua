-- New START 2026: the one-year offer.
--
-- On 22 Sep 2025 Putin offered to keep New START's central limits for one year
-- after the treaty expires on 5 Feb 2026, if the United States did the same. This
-- scenario plays the known record up to the information date of the late-October
-- news (29 Oct 2025), then lets the uncertain parts branch on named params: the US
-- answer and its timing, the fate of the offer, testing escalation, what each side
-- does with its forces after expiry, and a possible later agreement.
--
--   detente run scripts/new_start_2026.lua                 one story, seed 1
--   detente run scripts/new_start_2026.lua --seed 7 -D p_us_accept=0.6
--
-- Facts: stdlib/detente/data/new_start/ (each row with its source URL). Every dated
-- fact below carries the source of its timeline.csv row. scripts/README.md explains
-- the params and outcomes.

local nst = require "detente.treaties.new_start"
local std = require "detente.moves"          -- not `moves`: that name is the engine's moves()
local policies = require "detente.policies"
local mtth = require "detente.mtth"

scenario { title = "New START 2026: the one-year offer", start = "2025-09-22", stop = "2027-02-05" }

---------------------------------------------------------------------------------
-- Params (defaults are judgement calls unless a source is named; ranges in README)
---------------------------------------------------------------------------------
param("init_trust", 0.35,
      { doc = "US-Russia mutual trust on 22 Sep 2025 (0..1)", min = 0, max = 1 })
param("init_tension", 0.55, { doc = "US-Russia tension on 22 Sep 2025 (0..1)", min = 0, max = 1 })
param("p_us_accept", 0.30,
      { doc = "base weight: Washington accepts the offer when it decides", min = 0, max = 1 })
param("p_us_reject", 0.06, { doc = "base weight: Washington rejects it", min = 0, max = 1 })
param("p_us_counter", 0.05, {
    doc = "base weight: Washington counters (asks for a new treaty talk first)", min = 0, max = 1 })
param("p_us_silence", 0.55, { doc = "base weight: Washington stays silent this time (it may \z
    decide again)", min = 0, max = 1 })
param("us_first_look", dist.triangular(7, 40, 120),
      "days after 29 Oct 2025 until Washington first takes up the offer")
param("p_rus_withdraw", 0.25,
      { doc = "chance Russia withdraws the offer after each US escalation", min = 0, max = 1 })
param("p_rus_hold", 0.75, { doc = "chance Russia keeps the limits unilaterally after expiry \z
    without a deal", min = 0, max = 1 })
param("mtth_test_days", 150,
      { doc = "mean days between testing escalations (Paradox-style MTTH)", min = 10, max = 2000 })
param("p_explosive_test", 0.05,
      { doc = "chance an escalation is an explosive nuclear test", min = 0, max = 1 })
param("p_us_upload_no_deal", 0.35, {
    doc = "chance the US starts uploading after expiry when no deal binds it", min = 0, max = 1 })
param("us_upload_start", dist.triangular(30, 120, 330),
      "days after expiry before a US upload starts")
param("us_upload_per_month", dist.triangular(25, 50, 80),
      "US upload rate, warheads a month (assumption within FAS 2023's 'months')")
param("rus_upload_per_month", dist.triangular(25, 60, 120),
      "Russian upload rate, warheads a month (assumption; Gottemoeller 2020: 'quickly')")
param("rus_reaction_days", dist.triangular(14, 45, 120),
      "days before Russia answers a US breach of 1,550 with its own upload")
param("mtth_summit_days", 240,
      { doc = "mean days until a summit is finally scheduled", min = 10, max = 3000 })
param("mtth_agreement_days", 365,
      { doc = "mean days after expiry until a later (informal) agreement", min = 10, max = 3000 })
param("us_violates", false,
      "the US exceeds the limits while bound (sanity checks expect breaches only then)")
param("rus_violates", false, "Russia exceeds the limits while bound")

---------------------------------------------------------------------------------
-- The world
---------------------------------------------------------------------------------
local usa, rus = nst.parties()        -- 2024/2025 estimates (FAS, CRS), see nst.forces
local t = nst.treaty()                -- 700 / 1,550 / 800; expires 2026-02-05
std.install()
policies.declare_standard()
policies.init_relations(usa, rus, param.init_trust, param.init_tension)
local EXPIRY = date(nst.DATES.expires)
local INFO_DATE = date("2025-10-29")

policy(usa, "answer_offer", policies.answer_offer {
  accept = param.p_us_accept, reject = param.p_us_reject,
  counter = param.p_us_counter, silence = param.p_us_silence, k_trust = 1.5, k_tension = 1.5 })
policy(rus, "answer_offer",
       policies.answer_offer { accept = 0.6, reject = 0.2, counter = 0.1, silence = 0.1 })
policy(usa, "react_to_test",
       policies.react_to_test { ignore = 0.3, protest = 0.55, reciprocate = 0.15 })
policy(rus, "react_to_test",
       policies.react_to_test { ignore = 0.3, protest = 0.5, reciprocate = 0.2 })

-- What the outcomes read (kept here, in locals: no globals).
local S = {
  offer = nil, us_answer = nil, us_answer_date = nil, agreement = nil, agreement_date = nil,
  escalations = 0, first_breach = nil, first_breach_by = nil, breach_while_bound = false,
  warheads_at_expiry = nil, plans = {},
}

local function counted(st) return t:count(st, "deployed_warheads") end
-- The when() predicates below read nothing but warhead counts: the engine calls
-- them again only after a step that changed an arsenal (docs/api.md, when).
local ARSENALS_ONLY = { reads = "arsenals" }

---------------------------------------------------------------------------------
-- The known record, 22 Sep - 29 Oct 2025 (timeline.csv; confidence in brackets)
---------------------------------------------------------------------------------

-- 2025-09-22 [confirmed] Putin at the Security Council: keep the central limits one
-- year after 2026-02-05 if the US does the same and takes no steps that undermine the
-- balance (missile defence, space interceptors). No inspections or data exchanges.
-- https://eadaily.com/en/ampnews/2025/09/22/vladimir-putin-made-an-important-statement-on-security-council-full-text
at("2025-09-22", function()
  S.offer = assert(rus:move("offer_extension", {
    to = usa, treaty = t, years = 1, formal = false, reciprocal = true, deadline = EXPIRY,
    conditions = { "the US keeps the same limits",
                   "no US steps that undermine the balance of deterrent potentials (missile \z
                       defence, space interceptors)" },
    text = "Putin: keep the central limits for one year after 5 Feb 2026, if the US does \z
        the same" }))
end)

-- 2025-10-01 [confirmed] Ryabkov: Russia pressing the US to restore direct flights.
-- https://tass.com/economy/2023657
at("2025-10-01", function()
  rus:move("link_issues",
           { to = usa, issue = "direct flights", linked_to = "relations", stance = "offer",
    text = "Ryabkov: Russia presses Washington to restore direct flights; proposals under \z
        review, no progress" })
end)

-- 2025-10-02 [reported] Putin reaffirms the offer at Valdai.
-- https://static2-azcdn.newser.com/story/376398/trump-backs-putins-plan-for-extended-nuclear-arms-treaty.html
at("2025-10-02", function()
  rus:move("public_statement",
           { speaker = "Putin", tone = "positive", to = usa, about = "new_start",
    text = "reaffirms the one-year offer at Valdai; successor talks could cover new systems" })
end)

-- 2025-10-05 [confirmed] Trump: the offer "sounds like a good idea"; no formal reply.
-- https://tass.com/world/2025407
at("2025-10-05", function()
  usa:move("public_statement",
           { speaker = "Trump", tone = "positive", to = rus, about = "new_start",
    text = "the offer 'sounds like a good idea' (no official answer follows)" })
  -- 2025-10-05 [reported] Putin: US Tomahawk supplies to Ukraine would wreck the positive trend.
  -- https://www.world-today-news.com/trump-signals-willingness-to-extend-new-start-treaty-with-russia
  rus:move("link_issues",
           { to = usa, issue = "Tomahawk supplies to Ukraine", linked_to = "relations",
    stance = "warning",
    text = "Putin: Tomahawk supplies to Ukraine would wreck the positive trend in relations" })
end)

-- 2025-10-06 [confirmed] Peskov welcomes Trump's remark.
-- https://static2-azcdn.newser.com/story/376398/trump-backs-putins-plan-for-extended-nuclear-arms-treaty.html
at("2025-10-06", function()
  rus:move("public_statement",
           { speaker = "Peskov", tone = "positive", to = usa, about = "new_start",
    text = "Trump's remark gives grounds for optimism" })
end)

-- 2025-10-16 [confirmed] Trump-Putin call (over 2 h): agree to meet in Budapest, date not set.
-- https://news.liga.net/en/politics/news/trump-talks-with-putin-and-announces-meeting-in-hungary-full-statement-of-the-us-president
local budapest
at("2025-10-16", function()
  budapest = assert(usa:move("request_summit", { to = rus, venue = "Budapest",
    text = "Trump-Putin call: meet in Budapest, date not set; Rubio and Lavrov to prepare" }))
  budapest:accept("agreed in principle during the call")
end)

-- 2025-10-20 [reported] Rubio-Lavrov call reportedly goes poorly.
-- https://unn.ua/en/news/donald-trumps-meeting-with-putin-in-hungary-canceled-media
at("2025-10-20", function()
  usa:move("public_statement", { speaker = "Rubio-Lavrov call", tone = "negative", to = rus,
    text = "preparatory call reportedly goes poorly (no front-line freeze)" })
end)

-- 2025-10-21 [confirmed] Burevestnik flight (~14,000 km, ~15 h per Gerasimov), kept quiet
-- until Sunday 26 Oct.
-- https://www.japantimes.co.jp/news/2025/10/26/world/politics/russia-nuclear-powered-missile/
-- Announcement [confirmed]:
-- https://news.online.ua/en/putin-announces-test-of-unlimited-range-missile-898241/
at("2025-10-21", function()
  rus:move("weapon_test", { system = "Burevestnik", category = "OTHER", announce_after = days(5),
    text = "RUS flies the Burevestnik nuclear-powered cruise missile (~14,000 km, ~15 h); \z
        outside New START",
    announcement = "Gerasimov reports the Burevestnik test to Putin; Putin orders deployment \z
        infrastructure prepared" })
  -- 2025-10-21 [reported] White House: no Budapest meeting in the near future.
  -- https://unn.ua/en/news/donald-trumps-meeting-with-putin-in-hungary-canceled-media
  emit { kind = "summit.on_hold", by = usa, to = rus, visibility = "public",
         text = "White House: no plan for a Budapest meeting in the near future; summit on hold" }
end)

-- 2025-10-22 [reported] US sanctions Rosneft and Lukoil (day inferred).
-- https://www.japantimes.co.jp/news/2025/10/26/world/politics/russia-nuclear-powered-missile/
at("2025-10-22", function()
  emit { kind = "sanctions.imposed", by = usa, to = rus, visibility = "public",
         text = "US sanctions Rosneft and Lukoil" }
  policies.react(usa, "sanctions", { to = rus })
  -- 2025-10-22 [reported] strategic forces exercise with a Yars launch (a treaty system,
  -- routine exercise: no change to counts).
  -- https://news.liga.net/en/politics/news/trump-orders-immediate-start-of-us-nuclear-weapons-tests
  emit { kind = "exercise.held", by = rus, visibility = "public",
         text = "Russian strategic nuclear forces exercise, including a Yars launch" }
end)

-- 2025-10-27 [confirmed] Trump calls the missile test inappropriate.
-- https://ifpnews.com/russia-missile-testing-not-appropriate-us/
at("2025-10-27", function()
  usa:move("public_statement", { speaker = "Trump", tone = "negative", to = rus,
    text = "the missile test is 'not appropriate'; Putin should end the war instead" })
end)

-- 2025-10-28 [confirmed] Poseidon runs on its nuclear power unit (announced 29 Oct).
-- https://www.themoscowtimes.com/2025/10/29/putin-defies-trump-with-second-nuclear-weapons-test-in-days-a90980
-- Announcement [confirmed]: https://www.trtworld.com/article/a8b3f4de7987
at("2025-10-28", function()
  rus:move("weapon_test", { system = "Poseidon", category = "OTHER", announce_after = days(1),
    text = "RUS runs the Poseidon underwater vehicle on its nuclear power unit; outside New START",
    announcement = "Putin announces the Poseidon test at a Moscow military hospital" })
  -- 2025-10-28 [confirmed] Lavrov at the III Minsk conference: awaits an official positive
  -- US reaction; a summit needs guarantees of concrete results. https://tass.com/politics/2036321
  rus:move("public_statement",
           { speaker = "Lavrov (Minsk)", tone = "neutral", to = usa, about = "new_start",
    text = "Russia awaits an official positive US reaction to the offer; a summit needs \z
        guarantees of concrete results" })
  -- 2025-10-28 [confirmed] Lavrov: direct flights proposed in Jan-Feb 2025, not a US priority.
  -- https://tass.com/politics/2036247
  rus:move("link_issues",
           { to = usa, issue = "direct flights", linked_to = "summit", stance = "demand",
    text = "Lavrov: Russia proposed resuming direct flights in Jan-Feb 2025; not a US priority" })
end)

-- 2025-10-29 [confirmed] Trump orders nuclear weapons testing "on an equal basis".
-- https://en.interfax.com.ua/news/general/1116638.html
at("2025-10-29", function()
  usa:move("public_statement", { speaker = "Trump", tone = "negative", to = rus, about = "testing",
    text = "instructs the Department of War to start testing nuclear weapons 'on an equal basis'" })
  log("information date reached: from here on the story branches (see scripts/README.md)")
end)

---------------------------------------------------------------------------------
-- Uncertain branches after 29 Oct 2025
---------------------------------------------------------------------------------

---Record the end of the offer (accepted by either side's move, or a later deal).
local function agreement(kind)
  if S.agreement then return end
  S.agreement, S.agreement_date = kind, now()
end

on("proposal.accepted", function(ev)
  local p = ev.proposal
  if p and p.kind == "extension" then agreement(p.terms.formal and "formal" or "informal") end
end)

-- Washington takes the offer up after a first delay; each time it stays silent it
-- looks again after a delay that grows as trust falls (policies.answer_delay).
at(INFO_DATE, function()
  spawn(function()
    wait(days(math.floor(param.us_first_look + 0.5)))
    while S.offer.status == "pending" and now() < EXPIRY do
      local answer = usa:decide("answer_offer", { proposal = S.offer })
      if answer == "counter" then
        S.us_answer, S.us_answer_date = "counter", now()
        local c = usa:move("answer_offer", { proposal = S.offer, answer = "counter",
          why = "Washington wants talks on a new, modernised treaty first",
          terms = { treaty = t, months = 6, formal = false, reciprocal = true,
                    text = "observe limits while talks go on" },
          deadline = EXPIRY })
        -- Moscow weighs the counter-offer within weeks.
        wait(days(math.floor(rng.triangular(7, 21, 45) + 0.5)))
        if c and c.status == "pending" and now() < EXPIRY then
          local r = rus:decide("answer_offer", { proposal = c })
          if r ~= "counter" then rus:move("answer_offer", { proposal = c, answer = r }) end
        end
        break
      end
      usa:move("answer_offer", { proposal = S.offer, answer = answer })
      if answer ~= "silence" then S.us_answer, S.us_answer_date = answer, now(); break end
      wait(policies.answer_delay(usa, rus, { base = 0.3 }))
    end
  end)
end)

-- Testing escalation: a Paradox-style MTTH event, faster when tension is high and
-- slower once a deal is in place. Each one is a test by one side that the other
-- reacts to (its react_to_test decision); a US escalation may make Moscow withdraw.
mtth.event {
  name = "testing_escalation", mean_days = param.mtth_test_days, repeats = true, from = INFO_DATE,
  modifiers = {
    { factor = 0.5, why = "tension above 0.7",
      when = function() return usa:relation(rus, "tension") > 0.7 end },
    { factor = 2, why = "a deal binds both sides",
      when = function() return S.agreement ~= nil end },
  },
  text = "testing announcements escalate",
  fire = function()
    S.escalations = S.escalations + 1
    local actor = rng.choice({ usa, rus })
    local other = actor == usa and rus or usa
    local explosive = rng.bernoulli(param.p_explosive_test)
    local system = actor == usa
        and (explosive and "a nuclear device (Nevada)" or "Minuteman III (test launch)")
      or (explosive and "a nuclear device (Novaya Zemlya)" or "Sarmat")
    actor:move("weapon_test", { system = system, nuclear_explosive = explosive,
      outside_treaty = explosive })   -- missile test launches of treaty types change no counts
    local r = other:decide("react_to_test", { other = actor })
    if r == "protest" then
      other:move("public_statement", { tone = "negative", to = actor, about = "testing",
        text = "protests the " .. actor.id .. " test" })
    elseif r == "reciprocate" then
      other:move("public_statement", { tone = "negative", to = actor, about = "testing",
        text = "announces it will answer the " .. actor.id .. " test in kind" })
      after(days(rng.int(14, 60)), function()
        S.escalations = S.escalations + 1
        other:move("weapon_test", { system = other == usa and "Minuteman III (test launch)"
                                    or "Yars (test launch)",
          outside_treaty = false, text = other.id .. " answers with a missile test launch" })
      end)
    end
    if actor == usa and S.offer and S.offer.status == "pending"
        and rng.bernoulli(param.p_rus_withdraw) then
      rus:move("withdraw_offer", {
          proposal = S.offer, why = "US steps undermine the balance (a condition of the offer)" })
    end
  end,
}

-- "A summit is finally scheduled": MTTH, slowed by tension, quickened by trust.
mtth.event {
  name = "summit_scheduled", mean_days = param.mtth_summit_days, from = INFO_DATE,
  modifiers = {
    { factor = 1.5, why = "tension above 0.6",
      when = function() return usa:relation(rus, "tension") > 0.6 end },
    { factor = 0.6, why = "trust above 0.5",
      when = function() return usa:relation(rus, "trust") > 0.5 end },
  },
  text = "a Trump-Putin summit is finally scheduled",
  fire = function()
    after(days(30), function()
      emit { kind = "summit.held", by = usa, to = rus, visibility = "public",
             text = "Trump-Putin summit meets" }
      policies.react(usa, "summit_held", { to = rus })
      policies.react(rus, "summit_held", { to = usa })
    end)
  end,
}

---------------------------------------------------------------------------------
-- Injects: what a white cell fires during a live session (detente serve). Each
-- declares its arguments, so the facilitator is offered a form. They change the
-- world only through the same events and reactions as the record above; a batch
-- run never fires them.
---------------------------------------------------------------------------------
local function other_of(st) return st == usa and rus or usa end

inject("summit_scheduled", {
  doc = "A Trump-Putin summit is scheduled; it meets after the given delay (cf. Budapest, Oct \z
      2025).",
  args = {
    { name = "in", type = "duration", default = "30d", doc = "time until it meets" },
    { name = "venue", type = "text", default = "Budapest" },
  },
  fire = function(a)
    emit { kind = "summit.scheduled", by = usa, to = rus, visibility = "public",
           text = "a Trump-Putin summit is scheduled in " .. a.venue }
    policies.react(usa, "summit_request", { to = rus })
    after(a["in"], function()
      emit { kind = "summit.held", by = usa, to = rus, visibility = "public",
             text = "Trump-Putin summit meets in " .. a.venue }
      policies.react(usa, "summit_held", { to = rus })
      policies.react(rus, "summit_held", { to = usa })
    end)
  end,
})

inject("sanctions_round", {
  doc = "A new round of sanctions (cf. Rosneft and Lukoil, 22 Oct 2025).",
  args = {
    { name = "by", type = "state", default = "USA", doc = "who imposes them" },
    { name = "targets", type = "text", default = "Russian energy companies" },
    { name = "severity", type = "choice", options = { "limited", "broad" }, default = "limited",
      doc = "broad counts double in the reactions" },
  },
  fire = function(a)
    local target = other_of(a.by)
    emit { kind = "sanctions.imposed", by = a.by, to = target, visibility = "public",
           text = ("%s sanctions %s (%s)"):format(a.by.id, a.targets, a.severity) }
    policies.react(a.by, "sanctions", { to = target, scale = a.severity == "broad" and 2 or 1 })
  end,
})

inject("test_announced", {
  doc = "A state announces a weapon test outside the treaty's categories (cf. Burevestnik, \z
      Poseidon, Oct 2025).",
  args = {
    { name = "by", type = "state", default = "RUS" },
    { name = "system", type = "text", default = "Burevestnik", doc = "the weapon tested" },
    { name = "explosive", type = "boolean", default = false, doc = "an explosive nuclear test" },
  },
  fire = function(a)
    a.by:move("weapon_test",
              { system = a.system, category = "OTHER", nuclear_explosive = a.explosive })
    S.escalations = S.escalations + 1
  end,
})

inject("understanding_leaked", {
  doc = "A leak reveals the informal understanding (or its absence): the public sees how far \z
      each side pledged.",
  args = {
    { name = "outlet", type = "text", default = "a major newspaper" },
    { name = "tone", type = "choice", options = { "damaging", "reassuring" },
      default = "damaging" },
  },
  fire = function(a)
    local status = S.offer and S.offer.status or "none"
    emit { kind = "leak.published", visibility = "public",
           text = ("%s reports on the informal understanding (offer %s)"):format(a.outlet, status) }
    local kind = a.tone == "damaging" and "negative_statement" or "positive_statement"
    policies.react(usa, kind, { to = rus })
    policies.react(rus, kind, { to = usa })
  end,
})

---------------------------------------------------------------------------------
-- Message forms: what the teams and the white cell post in a live session's
-- channels besides free text (detente serve; docs/protocol.md, Channels). The
-- fields are checked like a move's arguments; a post never changes the run.
---------------------------------------------------------------------------------
form("rfi", {
  title = "Request for information",
  doc = "A question to the white cell's request-for-information desk.",
  args = {
    { name = "question", type = "text", required = true },
    { name = "about", type = "state", doc = "the state it concerns, if one" },
    { name = "urgency", type = "choice", options = { "routine", "urgent" }, default = "routine" },
  },
})

form("intent", {
  title = "Statement of intent",
  doc = "What the team means to do next, for the white cell (or shared with another team).",
  args = {
    { name = "intent", type = "text", required = true },
    { name = "treaty", type = "treaty", doc = "the treaty it concerns, if one" },
    { name = "horizon", type = "duration", default = "30d", doc = "over what time" },
  },
})

form("coa", {
  title = "Course of action",
  doc = "A course of action the team proposes to adjudicate: what, toward whom, and the expected "
    .. "effect.",
  args = {
    { name = "action", type = "text", required = true },
    { name = "toward", type = "state" },
    { name = "expected", type = "text", doc = "the effect the team expects" },
    { name = "confidence", type = "choice", options = { "low", "medium", "high" },
      default = "medium" },
  },
})

---Start a state's upload plan (once), toward the sourced ceilings. A bound state
---first suspends its observance, unless `breaking` (the violation params).
local function start_upload(st, per_month, legs, why, breaking)
  if S.plans[st.id] then return end
  if t:binds(st) and not breaking then
    t:set_observance(st, "suspended", "no longer keeps the limits: " .. why)
  end
  note(st, why)
  local plan, ctl = nst.upload_plan { state = st, per_month = per_month, legs = legs }
  S.plans[st.id] = ctl
  policies.react(st, "upload")
  spawn(plan)
end

---Stop uploads and bring both sides back under 1,550 at their upload rate.
local function back_under_limits()
  local sides = { { usa, param.us_upload_per_month }, { rus, param.rus_upload_per_month } }
  for i = 1, #sides do
    local st, rate = sides[i][1], sides[i][2]
    local ctl = S.plans[st.id]
    if ctl and not ctl.finished then ctl.stop("a new understanding") end
    local excess = counted(st) - 1550
    -- Download from the legs in reverse order of upload, at the same rate.
    local all = st:systems()
    for j = #all, 1, -1 do
      local s = all[j]
      if excess <= 0 then break end
      if s.accountable and (s.category == "ICBM" or s.category == "SLBM") and s.warheads > 0 then
        local k = math.min(excess, s.warheads)
        s:download(k, { per_month = rate })
        excess = excess - k
      end
    end
  end
end

-- The violation params: a side starts exceeding the limits while still bound.
-- A sudden upload of 150 warheads on one leg, then the gradual plan.
local function violate(st, row, rate, legs)
  note(st, st.id .. " breaks the limits while bound (param " .. (st == usa and "us" or "rus")
       .. "_violates)")
  st:move("upload", { system = row, n = 150 })
  start_upload(st, rate, legs, st.id .. " keeps uploading", true)
end
if param.us_violates then
  at("2025-12-01",
     function() violate(usa, "Trident II D5", param.us_upload_per_month, { "SLBM", "ICBM" }) end)
end
if param.rus_violates then
  at("2025-12-01",
     function() violate(rus, "ICBM force", param.rus_upload_per_month, { "ICBM", "SLBM" }) end)
end

-- Expiry. With a deal both sides are pledged to 2027-02-05; without one, Moscow keeps
-- the limits unilaterally (p_rus_hold) while Washington may upload.
on("treaty.expired", function()
  S.warheads_at_expiry = counted(usa) + counted(rus)
  if S.agreement then return end
  -- An explicit US rejection halves the chance Moscow holds on alone.
  local p_hold = param.p_rus_hold * (S.us_answer == "reject" and 0.5 or 1)
  if rng.bernoulli(p_hold) then
    rus:move("pledge", { treaty = t, years = 1,
      text = "Moscow keeps the central limits unilaterally for now, as long as the US does" })
  else
    rus:move("public_statement",
             { speaker = "MFA", tone = "negative", to = usa, about = "new_start",
      text = "Russia considers itself free of the limits after the lack of a US answer" })
  end
  if rng.bernoulli(param.p_us_upload_no_deal) then
    after(days(math.floor(param.us_upload_start + 0.5)), function()
      if S.agreement then return end
      start_upload(usa, param.us_upload_per_month, { "SLBM", "ICBM" },
        "Washington starts uploading (FAS 2023: SLBMs to 8 warheads each, Minuteman III to 3)")
    end)
  end
  -- A later informal agreement: MTTH after expiry.
  mtth.event {
    name = "later_agreement", mean_days = param.mtth_agreement_days,
    modifiers = {
      { factor = 0.5, why = "trust above 0.55 (after a summit, say)",
        when = function() return usa:relation(rus, "trust") > 0.55 end },
      { factor = 2, why = "uploads under way",
        when = function() return S.plans.USA ~= nil or S.plans.RUS ~= nil end },
      { factor = 1.5, why = "tension above 0.75",
        when = function() return usa:relation(rus, "tension") > 0.75 end },
    },
    text = "Washington and Moscow reach an informal understanding to observe the central limits",
    fire = function()
      agreement("later")
      back_under_limits()
      -- Each side's pledge starts once it is back under 1,550 (a grace period for
      -- taking warheads off; the understanding runs to the end of the offer's year).
      local until_date = date("2027-02-05")
      local sides = { usa, rus }
      for i = 1, #sides do
        local st = sides[i]
        when(function() return counted(st) <= 1550 end, function()
          if not (now() < until_date) then return end
          t:pledge(st, until_date)
          if t:observance(st) == "suspended" then
            t:set_observance(st, "observing_unilaterally",
                             "back within the limits under the understanding")
          end
        end, ARSENALS_ONLY)
      end
    end,
  }
end)

-- Russia answers a US breach of 1,550 (Lavrov to the Duma, 11 Feb 2026: the
-- moratorium holds while the US stays within the limits; https://tass.com/politics/2085211).
when(function() return counted(usa) > 1550 end, function()
  after(days(math.floor(param.rus_reaction_days + 0.5)), function()
    if S.agreement == "later" then return end
    start_upload(rus, param.rus_upload_per_month, { "ICBM", "SLBM" },
      "Moscow answers the US upload with its own (reserve warheads onto ICBMs, then SLBMs)")
  end)
end, ARSENALS_ONLY)
-- Washington answers a Russian breach the same way (symmetry assumption).
when(function() return counted(rus) > 1550 end, function()
  after(days(math.floor(param.rus_reaction_days + 0.5)), function()
    if S.agreement == "later" then return end
    start_upload(usa, param.us_upload_per_month, { "SLBM", "ICBM" },
                 "Washington answers the Russian upload")
  end)
end, ARSENALS_ONLY)

-- First breach of 1,550 by either side, and any breach while a side is bound.
when(function() return counted(usa) > 1550 or counted(rus) > 1550 end, function()
  S.first_breach = now()
  local u, r = counted(usa) > 1550, counted(rus) > 1550
  S.first_breach_by = (u and r) and "both" or (u and "USA" or "RUS")
  emit { kind = "limit.breached", by = u and usa or rus, visibility = "public",
         text = S.first_breach_by .. " passes 1,550 deployed warheads (New START counting)" }
end, ARSENALS_ONLY)
-- The engine emits treaty.breach when a bound side's counts cross a limit: no polling.
on("treaty.breach", function(ev)
  if ev.treaty ~= t or S.breach_while_bound then return end
  S.breach_while_bound = true
  emit { kind = "limit.breached_while_bound", visibility = "public",
         text = "a side exceeds a central limit while the treaty or a pledge binds it" }
end)

---------------------------------------------------------------------------------
-- Series (monthly) and outcomes (on the stop date, 2027-02-05, unless dated)
---------------------------------------------------------------------------------
series("usa_deployed_warheads", months(1), function() return counted(usa) end,
       { doc = "US deployed strategic warheads, New START counting" })
series("rus_deployed_warheads", months(1), function() return counted(rus) end,
       { doc = "Russian deployed strategic warheads, New START counting" })

-- Observed by now (scripts/observed/new_start_2026.csv): scored by `detente score`.
outcome("rus_keeps_limits_feb_2026", function() return t:binds(rus) end,
        {
            doc = "a week after expiry, Russia keeps the central limits (a pledge or a deal \z
                binds it)", at = "2026-02-12" })
outcome("within_1550_feb_2026", function() return counted(usa) <= 1550 and counted(rus) <= 1550 end,
        { doc = "both sides within 1,550 deployed warheads a week after expiry",
          at = "2026-02-12" })
local function within(metric)
  return t:count(usa, metric) <= t:limit(metric) and t:count(rus, metric) <= t:limit(metric)
end

outcome("agreement_before_expiry", function()
  return S.agreement ~= nil and S.agreement ~= "later" and S.agreement_date < EXPIRY
end, { doc = "an agreement (formal or informal) to keep the limits was reached before 5 Feb 2026" })
outcome("agreement_kind", function() return S.agreement or "none" end,
  { doc = "formal | informal (before expiry) | later (after expiry) | none" })
outcome("us_answer", function() return S.us_answer or "none" end,
  { doc = "Washington's official answer: accept | reject | counter | none" })
outcome("us_answer_date",
        function() return S.us_answer_date and tostring(S.us_answer_date) or nil end,
  { doc = "date of the official US answer, nil when none came" })
outcome("offer_status", function() return S.offer and S.offer.status or "none" end,
  { doc = "final status of Putin's offer: accepted, rejected, countered, withdrawn, expired" })
outcome("limits_hold_2027", function() return within("deployed_launchers")
        and within("deployed_warheads") and within("total_launchers") end,
  { doc = "both sides within all three central limits on 2027-02-05" })
outcome("within_700_2027", function() return within("deployed_launchers") end,
        { doc = "both within 700 deployed launchers" })
outcome("within_1550_2027", function() return within("deployed_warheads") end,
        { doc = "both within 1,550 deployed warheads" })
outcome("within_800_2027", function() return within("total_launchers") end,
        { doc = "both within 800 total launchers" })
outcome("usa_deployed_warheads", function() return counted(usa) end,
        { doc = "US deployed strategic warheads, New START counting" })
outcome("rus_deployed_warheads", function() return counted(rus) end,
        { doc = "Russian deployed strategic warheads, New START counting" })
outcome("months_to_first_breach", function()
  if not S.first_breach then return nil end
  return math.floor((S.first_breach - EXPIRY) / 30.44 * 10 + 0.5) / 10
end, { doc = "months from 2026-02-05 until either side first passes 1,550 (nil: never)" })
outcome("first_breach_by", function() return S.first_breach_by end,
        { doc = "USA | RUS | both | nil" })
outcome("arms_race_index", function()
  local base = S.warheads_at_expiry or (1550 + 1550)
  return math.floor(((counted(usa) + counted(rus)) / base - 1) * 1000 + 0.5) / 10
end, { doc = "% growth of combined deployed warheads from expiry to 2027-02-05" })
outcome("arms_race", function()
  local base = S.warheads_at_expiry or 3100
  local g = (counted(usa) + counted(rus)) / base - 1
  if g < 0.02 then return "none" elseif g < 0.15 then return "limited" end
  return "race"
end, { doc = "none (<2% growth) | limited (<15%) | race (>=15%)" })
outcome("testing_escalations", function() return S.escalations end,
        { doc = "testing escalations after 29 Oct 2025" })
outcome("breach_while_bound", function() return S.breach_while_bound end,
  { doc = "a side exceeded a limit while bound (expected only with us_violates/rus_violates)" })
outcome("min_count", function()
  local m = math.huge
  local sides = { usa, rus }
  for i = 1, #sides do
    local sys = sides[i]:systems()
    for j = 1, #sys do
      m = math.min(m, sys[j].deployed, sys[j].nondeployed, sys[j].warheads)
    end
  end
  return m
end, { doc = "smallest count of any arsenal row (sanity: never negative)" })
outcome("final_trust",
        function() return math.floor(usa:relation(rus, "trust") * 100 + 0.5) / 100 end,
  { doc = "US trust in Russia at the end (0..1)" })
