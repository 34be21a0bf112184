-- INF 2019: the end of the Intermediate-Range Nuclear Forces Treaty.
--
-- From the State Department's 2014 finding that Russia violated the treaty, through
-- the 60-day ultimatum of 4 Dec 2018, the six-month withdrawal notice of 2 Feb 2019
-- and the treaty's end on 2 Aug 2019, to the aftermath: the 9M729 display, Russia's
-- mirror suspension, the first US test of a formerly banned missile and Russia's
-- moratorium offer. The record up to the information date (4 Dec 2018, the
-- ultimatum) is played as it happened; from there the story branches on params, so
-- that a batch's probabilities can be scored against what happened
-- (scripts/observed/inf_2019.csv, `detente score`; scripts/README.md).
--
--   detente run scripts/inf_2019.lua
--   detente mc scripts/inf_2019.lua --runs 1000 --out inf.csv --series inf_series.csv
--   detente score inf.csv --observed scripts/observed/inf_2019.csv
--
-- Every dated fact carries its public source in a comment. Figures that no public
-- source gives (the dates of the third and fourth 9M729 battalions) are marked as
-- assumptions. The modelled parties are the United States and Russia; the other
-- successor states of the Soviet Union that were also parties are left out.

local counting = require "detente.counting"

scenario { title = "INF 2019: the end of the treaty", start = "2014-07-29", stop = "2019-12-31" }

---------------------------------------------------------------------------------
-- Params (judgement calls; ranges in scripts/README.md)
---------------------------------------------------------------------------------
param("p_rus_comply", 0.05, { doc = "chance Russia verifiably destroys its 9M729 systems \z
    within the 60 days", min = 0, max = 1 })
param("p_rus_comply_late", 0.03,
      { doc = "chance it does so during the six-month notice instead", min = 0, max = 1 })
param("p_rus_display", 0.6, {
    doc = "chance Russia puts the 9M729 on show to argue its range is legal", min = 0, max = 1 })
param("p_us_notice", 0.8, { doc = "chance Washington suspends and gives notice when the 60 \z
    days run out", min = 0, max = 1 })
param("us_second_look", dist.triangular(30, 90, 240),
      "days before Washington decides again if it waits")
param("p_rus_mirror", 0.85,
      { doc = "chance Moscow suspends its own obligations after a US notice", min = 0, max = 1 })
param("rus_mirror_days", dist.triangular(0, 7, 60),
      "days from the US notice to Moscow's suspension")
param("p_us_test", 0.6, { doc = "chance the US flight-tests a ground-launched INF-range \z
    missile after the treaty ends", min = 0, max = 1 })
param("us_test_days", dist.triangular(10, 90, 300), "days from the treaty's end to that test")
param("p_rus_moratorium", 0.6, {
    doc = "chance Moscow offers a moratorium on deploying INF-range missiles", min = 0, max = 1 })
param("rus_moratorium_days", dist.triangular(7, 60, 240), "days from the treaty's end to the offer")
param("p_ally_accepts", 0.1,
      { doc = "chance each addressee accepts the moratorium (all must)", min = 0, max = 1 })
param("p_display_convinces", 0.1,
      { doc = "chance the display is taken to show a range under 500 km", min = 0, max = 1 })

---------------------------------------------------------------------------------
-- The world
---------------------------------------------------------------------------------
local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
local gbr = state { id = "GBR", name = "United Kingdom" }
local fra = state { id = "FRA", name = "France" }
local deu = state { id = "DEU", name = "Germany" }
local chn = state { id = "CHN", name = "China" }
-- NATO as it matters here: the United States and the three largest European allies
-- (the moratorium letter of Sept 2019 went to every NATO leader; a model choice).
local nato = group { id = "NATO", name = "NATO (modelled members)",
                     members = { usa, gbr, fra, deu } }

-- The ban: ground-launched ballistic and cruise missiles of 500-5,500 km range, and
-- their launchers, nuclear or conventional; sea- and air-launched missiles are not
-- covered (CRS R43832,
-- https://www.everycrsreport.com/files/20161020_R43832_e76ce6e2dd06478b9999ca65ddf0dc042f1acd07.html).
local missiles = counting.define(counting.range(500, 5500, { name = "inf_missiles",
  doc = "ground-launched missiles of 500-5,500 km range, loaded or not (INF Art. II, VI)" }))
local launchers = counting.define(counting.range(500, 5500,
                                                 { name = "inf_launchers", count = "launchers",
  doc = "launchers of those missiles, deployed or not" }))

-- Signed 8 Dec 1987 (CRS R43832, above); in force 1 June 1988; unlimited duration;
-- a party may withdraw on six months' notice (Art. XV; Pompeo, 1 Feb 2019, as reported
-- by ASIL:
-- https://asil.org/print/ILIB/us-announces-withdrawal-cold-war-nuclear-arms-control-treaty-russia-february-1-2019).
local inf = treaty {
  id = "inf", name = "INF Treaty", parties = { usa, rus },
  signed = "1987-12-08", in_force = "1988-06-01", withdrawal_notice = months(6),
  limits = { { metric = missiles, max = 0 }, { metric = launchers, max = 0 } },
}

-- The 9M729 (SSC-8). Range: up to 2,350 km per a Western intelligence source quoted
-- by FAZ (10 Feb 2019); Russia says 480 km. Four missiles per launcher (FAZ; the new
-- launcher carries four, The Drive, 24 Jan 2019:
-- http://missiledefenseadvocacy.org/threat-news/russia-shows-off-parts-of-its-controversial-cruise-missile-system-but-not-the-missile-itself/).
-- FAZ via RFE/RL:
-- https://americanmilitarynews.com/2019/02/report-russia-has-deployed-more-medium-range-cruise-missiles-than-previously-thought/
-- In July 2014 it is a missile in flight tests: one test launcher, no deployed battalion.
local ssc8 = rus:system { name = "9M729 (SSC-8)", category = "GLCM", basing = "ground",
                          range = 2350, deployed = 0, nondeployed = 1, missiles_per_launcher = 4,
                          accountable = false }
-- Iskander-M: a ground-launched ballistic missile under 500 km, outside the ban.
rus:system { name = "Iskander-M", category = "SRBM", basing = "ground", range = 480, deployed = 0 }

local INFO_DATE = date("2018-12-04")
local S = { notice = nil, display = false, rus_suspended = false, complied = false, ended = nil,
            us_test = nil, moratorium = nil }

on("treaty.notice", function(ev) if ev.by == usa then S.notice = now() end end)
on("treaty.terminated", function() S.ended = now() end)

---------------------------------------------------------------------------------
-- The known record, 29 Jul 2014 - 4 Dec 2018
---------------------------------------------------------------------------------

-- 2014-07-29 The State Department's compliance report finds Russia in violation: it
-- flight-tested a ground-launched cruise missile of 500-5,500 km range (reported the
-- day before: https://gawkerarchives.com/tag/inf; CRS Insight IN10038, Sept 2014).
-- The engine emits the breach itself: Russia holds a banned launcher while bound.
at("2014-07-29", function()
  emit { kind = "compliance.finding", by = usa, to = rus, visibility = "public",
         text = "State Department: Russia violates the INF Treaty (a GLCM of 500-5,500 km \z
             range flight-tested)" }
end)

-- 2016-12 One battalion moved from the Kapustin Yar test site to an operational base;
-- a second stays at Kapustin Yar (NYT, 14 Feb 2017, via RFE/RL 8 Mar 2017:
-- http://www.rferl.org/a/nato-general-sela-russia-banned-ssc-8-missiles/28358071.html).
-- Four launchers per battalion (FAZ, above). The day in December is an assumption.
at("2016-12-15", function()
  ssc8:build(7)
  ssc8:deploy(8)
  note(rus, "two 9M729 battalions (eight launchers, 32 missiles) fielded: Kapustin Yar and an \z
      operational base")
end)

-- 2017-03-08 Gen. Selva confirms to Congress that Russia has deployed the SSC-8 (RFE/RL, above).
at("2017-03-08", function()
  emit { kind = "statement.made", by = usa, to = rus, visibility = "public",
         text = "Gen. Selva: Russia has deployed a ground-launched cruise missile that \z
             violates the INF Treaty" }
end)

-- Late 2017 The United States names the missile: 9M729 (CRS R43832, Aug 2019 update:
-- https://pdfslide.net/documents/russian-compliance-with-the-intermediate-range-nuclear-.html).
-- The day is an assumption within "late 2017".
at("2017-12-08", function()
  emit { kind = "statement.made", by = usa, to = rus, visibility = "public",
         text = "Washington names the Russian designator of the violating missile: 9M729" }
end)

-- 2018-12-04 Pompeo at NATO: Russia is in material breach; the US will suspend its
-- obligations in 60 days unless Russia returns to full and verifiable compliance
-- (https://www.usatoday.com/story/news/world/2018/12/04/pompeo-us-withdraw-arms-treaty-60-days-unless-russia-acts/2205221002/;
-- https://larouchepub.com/pr/2018/181204_pompeo_to_russia.html).
-- By early 2019 four battalions are fielded (Kapustin Yar, Kamyshlov, Mozdok, Shuya;
-- FAZ, 10 Feb 2019, above): the dates of the last two are not public, so the model
-- adds them here, at the information date.
at(INFO_DATE, function()
  ssc8:build(8)
  ssc8:deploy(8)
  emit { kind = "statement.made", by = usa, to = rus, visibility = "public",
         text = "Pompeo: Russia is in material breach; the US suspends its obligations in 60 \z
             days unless Russia returns to compliance" }
  log("information date reached: from here on the story branches (see scripts/README.md)")
end)

---------------------------------------------------------------------------------
-- Uncertain branches after 4 Dec 2018
---------------------------------------------------------------------------------
decision("inf_notice", { options = { "notice", "wait" }, default = "wait",
                         doc = "suspend the treaty and give six months' notice of withdrawal?" })
policy(usa, "inf_notice",
       { weights = { notice = param.p_us_notice, wait = 1 - param.p_us_notice } })

---Russia verifiably destroys its 9M729 launchers and missiles: back within the ban.
local function comply(why)
  if S.complied then return end
  S.complied = true
  ssc8:undeploy(ssc8.deployed)
  ssc8:retire(ssc8.nondeployed)
  note(rus, "Russia destroys its 9M729 launchers under observation (" .. why .. ")")
  if inf:notice(usa) then inf:rescind_notice(usa, "Russia is back in verifiable compliance") end
end

-- Within the 60 days: a display of the missile, perhaps compliance.
at(INFO_DATE, function()
  if rng.bernoulli(param.p_rus_comply) then
    after(days(rng.int(20, 55)), function() comply("within the 60 days") end)
  elseif rng.bernoulli(param.p_rus_display) then
    -- Reality: 23 Jan 2019, Patriot Park; Russia says the range is 480 km; NATO
    -- attaches stayed away (The Drive, above;
    -- https://english.pravda.ru/news/science/142198-new_cruise_missile/).
    after(days(rng.int(14, 56)), function()
      S.display = true
      emit { kind = "display.held", by = rus, visibility = "public",
             text = "Russia shows the 9M729 launcher and canisters to attaches and press: \z
                 range 480 km, it says" }
      -- The display is a declaration (no banned missile) that observers cannot verify.
      inf:declare(rus, { inf_missiles = 0, inf_launchers = 0 })
      if inf:inspect(rus, { by = usa, p_detect = 1 - param.p_display_convinces }) then
        emit { kind = "statement.made", by = usa, to = rus, visibility = "public",
               text = "Washington: the display shows nothing that brings Russia back into \z
                   compliance" }
      end
    end)
  end
end)

---The US decision when the 60 days run out, and again after each wait.
local function us_decides()
  if S.complied or S.notice or inf.status ~= "in_force" then return end
  if usa:decide("inf_notice") == "notice" then
    -- Reality: 1 Feb 2019, effective 2 Feb (azertag/TASS:
    -- https://azertag.az/en/xeber/US_suspends_INF_Treaty_obligations___Pompeo-1241072).
    inf:suspend(usa, "obligations suspended: Russia has not returned to compliance")
    inf:give_notice(usa, "Russian material breach (the 9M729)")
  else
    note(usa, "Washington holds off and talks again")
    after(days(math.floor(param.us_second_look + 0.5)), us_decides)
  end
end
at("2019-02-02", us_decides)

-- Russia's answer to a notice: a mirror suspension (reality: Putin, 2 Feb 2019,
-- https://archive.kyivpost.com/article/opinion/op-ed/steven-pifer-what-the-death-of-the-inf-treaty-means-for-kyiv.html;
-- decree of 4 Mar 2019,
-- https://gazette.com/putin-suspends-russia-s-obligations-under-nuclear-pact/article_e042fa60-3ed5-11e9-939c-bbe35cf529cc.html),
-- or a late return to compliance during the notice.
on("treaty.notice", function(ev)
  if ev.by ~= usa then return end
  if rng.bernoulli(param.p_rus_comply_late) then
    after(days(rng.int(30, 150)), function() comply("during the notice period") end)
  elseif rng.bernoulli(param.p_rus_mirror) then
    after(days(math.floor(param.rus_mirror_days + 0.5)), function()
      if inf.status == "terminated" or S.complied then return end
      S.rus_suspended = true
      inf:suspend(rus, "a mirror response to the US suspension")
    end)
  end
end)

-- After the treaty's end (reality: 2 Aug 2019, https://tass.com/world/1079815).
on("treaty.terminated", function()
  -- A US flight test of a formerly banned missile (reality: 18 Aug 2019, a ground-launched
  -- Tomahawk variant from a Mk-41 launcher on San Nicolas Island, "more than 500 km":
  -- https://americanmilitarynews.com/2019/08/video-us-tests-first-cruise-missile-since-russian-us-inf-treaty-expired).
  if rng.bernoulli(param.p_us_test) then
    after(days(math.floor(param.us_test_days + 0.5)), function()
      S.us_test = now()
      usa:system { name = "Tomahawk GLCM (test)", category = "GLCM", basing = "ground",
                   range = 1000, nondeployed = 1, accountable = false }
      emit { kind = "test.conducted", by = usa, visibility = "public",
             text = "US flight-tests a ground-launched cruise missile beyond 500 km" }
    end)
  end
  -- Russia's moratorium offer (reality: Putin's letter of 19 Sep 2019 to NATO leaders,
  -- China and the EU; NATO found it not credible:
  -- https://www.oreanda.ru/en/gosudarstvo/politic1/russian-president-sent-nato-a-proposal-for-moratorium-on-missile-deployment/article1282581/;
  -- Kremlin confirmation:
  -- http://www.chinadaily.com.cn/a/201909/27/WS5d8d793da310cf3e3556dd6a.html).
  if rng.bernoulli(param.p_rus_moratorium) then
    after(days(math.floor(param.rus_moratorium_days + 0.5)), function()
      S.moratorium = rus:propose { to = { nato, chn }, kind = "moratorium", quorum = "all",
                                   deadline = now() + days(120),
                                   conditions = { "no deployment of INF-range ground-launched \z
                                       missiles in Europe",
                                                  "verification measures to be discussed" } }
      local offer = S.moratorium
      spawn(function()
        for _, s in ipairs(offer.addressees) do
          wait(days(rng.int(10, 40)))
          if not offer.pending then return end
          offer:respond(s:decide("moratorium_answer"), s)
        end
      end)
    end)
  end
end)
decision("moratorium_answer", { options = { "accept", "reject" }, default = "reject" })
policy(nato, "moratorium_answer",
       { weights = { accept = param.p_ally_accepts, reject = 1 - param.p_ally_accepts } })
policy(chn, "moratorium_answer",
       { weights = { accept = param.p_ally_accepts, reject = 1 - param.p_ally_accepts } })

---------------------------------------------------------------------------------
-- Series and outcomes (on 31 Dec 2019 unless a date is given)
---------------------------------------------------------------------------------
series("rus_inf_missiles", months(3), function() return rus:count(missiles) end,
       { doc = "Russian ground-launched missiles in the 500-5,500 km band" })
series("treaty_binds_usa", months(3), function() return inf:binds(usa) end,
       { doc = "1 while the treaty binds the United States" })

outcome("us_notice_2019", function() return S.notice ~= nil end,
        { doc = "the US gave notice of withdrawal by the end of 2019" })
outcome("us_notice_date", function() return S.notice end,
        { doc = "the date of the US notice (nil: none)" })
outcome("rus_display", function() return S.display end,
        { doc = "Russia displayed the 9M729 to argue its range (before a decision on notice)" })
outcome("rus_suspends", function() return S.rus_suspended end,
        { doc = "Russia suspended its own obligations" })
outcome("rus_complies", function() return S.complied end,
        { doc = "Russia verifiably destroyed its 9M729 systems before the treaty ended" })
outcome("inf_terminated_2019", function() return inf.status == "terminated" end,
        { doc = "the treaty had terminated by the end of 2019" })
outcome("termination_date", function() return S.ended end,
        { doc = "the date the treaty ended (nil: it did not)" })
outcome("treaty_status", function() return inf.status end,
        { doc = "the treaty's status at the end of 2019" })
outcome("us_glcm_test_2019", function() return S.us_test ~= nil end,
        { doc = "the US flight-tested a ground-launched INF-range missile in 2019" })
outcome("moratorium_offer_2019", function() return S.moratorium ~= nil end,
        { doc = "Russia offered a moratorium on deploying INF-range missiles in 2019" })
outcome("moratorium_accepted_2019",
        function() return S.moratorium ~= nil and S.moratorium.status == "accepted" end,
        { doc = "every addressee accepted the moratorium in 2019" })
outcome("rus_inf_missiles", function() return rus:count(missiles) end,
        { doc = "Russian 9M729 missiles at the end (model: 16 launchers x 4 after the record)" })
outcome("rus_breach_when_bound", function() return inf:in_breach(rus) end,
        { doc = "Russia bound and over the ban at the end (false once the treaty ends)",
          at = "2019-06-30" })
