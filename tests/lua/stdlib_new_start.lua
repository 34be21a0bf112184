-- tests/lua/stdlib_new_start.lua: the New START module's numbers match its shipped
-- data (stdlib/detente/data/new_start/): limits, dates, provisions, each data
-- exchange, the 2025 forces and the upload ceilings. Run: detente run FILE
-- (exits non-zero on the first failed check).
scenario { title = "stdlib: New START numbers", start = "2025-09-22", stop = "2026-12-31" }
local nst = require "detente.treaties.new_start"

local function eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end

local usa, rus = nst.parties()
local t = nst.treaty()

-- limits, in treaty order (state.gov aggregate numbers page)
eq(t:limit("deployed_launchers"), 700, "limit 700")
eq(t:limit("deployed_warheads"), 1550, "limit 1550")
eq(t:limit("total_launchers"), 800, "limit 800")
local ls = t:limits()
eq(#ls, 3, "three central limits")
eq(ls[1].metric, "deployed_launchers", "first limit");
eq(ls[3].metric, "total_launchers", "third limit")

-- dates and status (treaty.json key_dates)
eq(tostring(t.signed), "2010-04-08", "signed")
eq(tostring(t.in_force), "2011-02-05", "entry into force")
eq(tostring(t.expires), "2026-02-05", "expiry")
eq(t.status, "in_force", "status in Sep 2025")
eq(t:observance(usa), "complying", "US observance")
eq(t:observance(rus), "observing_unilaterally",
   "Russia suspended participation but keeps the limits")
eq(t.extended_on, "2021-02-03", "the one extension")
eq(t.extensions, 1, "extensions used (2021)")

-- provisions (treaty.json verification)
eq(t.inspections.per_year, 18, "inspections a year")
eq(t.inspections.type_one, 10, "Type One"); eq(t.inspections.type_two, 8, "Type Two")
eq(t.data_exchanges.every_months, 6, "data exchange every six months")
eq(t.bcc.last_session, "2021-10", "BCC last session")
local facts = nst.facts()
eq(facts.verification.on_site_inspections.per_year_total, 18, "treaty.json inspections")
eq(facts.central_limits.deployed_warheads.limit, 1550, "treaty.json 1550")

-- every data exchange, as published (nil = not found, never zero)
local EXPECTED = {
  { "2011-02-05", "US", 882, 1800, 1124 },
  { "2011-02-05", "RU", 521, 1537, 865 },
  { "2011-09-01", "US", 822, 1790, 1043 },
  { "2011-09-01", "RU", 516, 1566, 871 },
  { "2012-03-01", "US", 812, 1737, 1040 },
  { "2012-03-01", "RU", 494, 1492, 881 },
  { "2012-09-01", "US", nil, 1722, nil },
  { "2012-09-01", "RU", nil, 1499, nil },
  { "2013-03-01", "US", 792, 1654, nil },
  { "2013-03-01", "RU", 492, 1480, nil },
  { "2013-09-01", "US", 809, 1688, 1015 },
  { "2013-09-01", "RU", 473, 1400, 894 },
  { "2014-03-01", "US", 778, 1585, 952 },
  { "2014-03-01", "RU", 498, 1512, 906 },
  { "2014-09-01", "US", 794, 1642, 912 },
  { "2014-09-01", "RU", 528, 1643, 911 },
  { "2015-03-01", "US", 785, 1597, 898 },
  { "2015-03-01", "RU", 515, 1582, 890 },
  { "2015-09-01", "US", nil, 1538, nil },
  { "2015-09-01", "RU", nil, 1648, nil },
  { "2016-03-01", "US", nil, 1481, nil },
  { "2016-03-01", "RU", 521, 1735, nil },
  { "2016-09-01", "US", 681, 1367, 848 },
  { "2016-09-01", "RU", 508, 1796, 847 },
  { "2017-03-01", "US", 673, 1411, 820 },
  { "2017-03-01", "RU", 523, 1765, 816 },
  { "2017-09-01", "US", 660, 1393, 800 },
  { "2017-09-01", "RU", 501, 1561, 790 },
  { "2018-02-05", "US", 652, 1350, nil },
  { "2018-02-05", "RU", 527, 1444, 779 },
  { "2018-09-01", "US", 659, 1398, 800 },
  { "2018-09-01", "RU", 517, 1420, 775 },
  { "2019-03-01", "US", 656, 1365, 800 },
  { "2019-03-01", "RU", 524, 1461, 760 },
  { "2019-09-01", "US", 668, 1376, 800 },
  { "2019-09-01", "RU", 513, 1426, 757 },
  { "2020-03-01", "US", 655, 1373, 800 },
  { "2020-03-01", "RU", 485, 1326, 754 },
  { "2020-09-01", "US", 675, 1457, 800 },
  { "2020-09-01", "RU", 510, 1447, 764 },
  { "2021-03-01", "US", 651, 1357, 800 },
  { "2021-03-01", "RU", 517, 1456, 767 },
  { "2021-09-01", "US", 665, 1389, 800 },
  { "2021-09-01", "RU", 527, 1458, 742 },
  { "2022-03-01", "US", 686, 1515, 800 },
  { "2022-03-01", "RU", 526, 1474, 761 },
  { "2023-03-01", "US", 662, 1419, 800 },
  { "2023-03-01", "RU", nil, nil, nil },
}
local rows = nst.data_exchanges()
eq(#rows, #EXPECTED, "number of exchange rows")
for i = 1, #EXPECTED do
  local e, r = EXPECTED[i], rows[i]
  local what = "exchange " .. e[1] .. " " .. e[2]
  eq(r.as_of, e[1], what .. " date"); eq(r.party, e[2], what .. " party")
  eq(r.deployed_launchers, e[3], what .. " deployed launchers")
  eq(r.deployed_warheads, e[4], what .. " deployed warheads")
  eq(r.total_launchers, e[5], what .. " total launchers")
  if type(r.source_url) ~= "string" or not r.source_url:find("^https?://") then
    error(what .. ": no source URL")
  end
end
eq(#nst.data_exchanges({ party = "US" }), 24, "US rows")
eq(nst.exchange("2022-09-01", "US"), nil, "2022-09-01 is missing on purpose")
eq(nst.exchange("2023-03-01", "RU").deployed_warheads, nil, "Russia gave no 2023 data")
eq(nst.exchange("2023-03-01", "US").deployed_warheads, 1419, "US 2023-03-01 warheads")
-- Once the limits were binding (2018-02-05) every published figure is within them.
for i = 1, #rows do
  local r = rows[i]
  if r.as_of >= "2018-02-05" then
    if (r.deployed_launchers or 0) > 700 or (r.deployed_warheads or 0) > 1550
        or (r.total_launchers or 0) > 800 then
      error("exchange " .. r.as_of .. " " .. r.party .. " over a limit")
    end
  end
end

-- 2025 forces by New START counting (see nst.forces for each figure's source)
eq(t:count(usa, "deployed_launchers"), 688, "US deployed launchers 400+240+36+12")
eq(t:count(usa, "deployed_warheads"), 1418, "US warheads 400+970+48")
eq(t:count(usa, "total_launchers"), 800, "US launchers 454+280+46+20")
eq(t:count(rus, "deployed_launchers"), 576, "RU deployed launchers 326+192+58")
eq(t:count(rus, "deployed_warheads"), 1550, "RU warheads fitted to 1,550 (852+640+58)")
eq(t:count(rus, "total_launchers"), 761, "RU launchers = last declared total")
eq(t:complies(usa), true, "US within limits"); eq(t:complies(rus), true, "Russia within limits")
local raw = nst.forces({ fit_to_limits = false }).RU
eq(raw[1].warheads + raw[2].warheads + raw[3].deployed, 1568,
   "raw FAS estimate counted by treaty rules")
eq(usa:system("Minuteman III").capacity, 3, "MM-III up to 3 RVs")
eq(usa:system("Trident II D5").capacity, 8, "Trident up to 8 RVs")
eq(usa:system("B-52H (conventional-only)").accountable, false, "converted B-52H not accountable")
eq(rus:system("Burevestnik").accountable, false, "Burevestnik outside New START")

-- number parsing of data cells
eq(nst.number("~970"), 970, "~970");
eq(nst.number("1,200 (derived: 400 x 3)"), 1200, "1,200 (derived)")
eq(nst.number("more than 3,500"), 3500, "more than 3,500");
eq(nst.number("not found"), nil, "not found")
eq(nst.number(nil), nil, "empty cell"); eq(nst.number(42), 42, "number")

-- upload ceilings (upload_capacity.csv)
eq(nst.upload_ceiling("US", "ICBM"), 950, "US ICBM ~950 (FAS 2023)")
eq(nst.upload_ceiling("US", "ICBM", "ceiling"), 1200, "US ICBM 3 x 400")
eq(nst.upload_ceiling("US", "SLBM"), 1920, "US SLBM ~1,920")
eq(nst.upload_ceiling("RU", "ICBM"), 1185, "RU ICBM ~1,185")
eq(nst.upload_ceiling("RU", "SLBM"), 800, "RU SLBM ~800")
eq(nst.upload_ceiling("US", "BOMBER"), nil, "no warhead ceiling for bombers")
eq(#nst.upload_capacity(), 14, "upload_capacity rows")

-- the dated record used by the flagship
local rec = nst.timeline({ from = "2025-09-22", to = "2025-10-29" })
eq(rec[1].date, "2025-09-22", "record starts with the offer");
eq(rec[1].kind, "proposal", "offer kind")
eq(rec[#rec].date, "2025-10-29", "record ends on the information date")

-- stockpiles (FAS 2025) and declarations (the last data exchanges)
local est = nst.stockpile_estimates()
eq(est.US.reserve, 1930, "US reserve"); eq(est.US.awaiting_dismantlement, 1477, "US retired")
eq(est.RU.stockpile, 4309, "RU stockpile");
eq(est.RU.reserve_strategic, 1114, "RU strategic reserve")
eq(usa:stockpile().reserve, 1930, "US reserve tracked")
eq(rus:stockpile().reserve, 1114 + 18,
   "RU upload pool: strategic reserve + the warheads trimmed to fit")
eq(rus:stockpile().awaiting_dismantlement, 1150, "RU retired")
local dw, when = t:declared(rus, "deployed_warheads")
eq(dw, 1474, "Russia's last declaration"); eq(tostring(when), "2022-03-01", "as of")
eq(t:declared(usa, "deployed_warheads"), 1419, "US 2023-03-01 declaration")

-- an upload plan stops at the sourced ceilings: +333 on ICBMs (1,185 - 852), +160 on SLBMs (800 -
-- 640)
local plan, ctl = nst.upload_plan { state = rus, per_month = 100 }
at("2026-02-05", function() spawn(plan) end)
local ran = {}
at("2026-12-30", function()
  eq(ctl.finished, true, "plan finished")
  eq(ctl.added, 493, "warheads added")
  eq(t:count(rus, "deployed_warheads"), 2043, "Russian deployed warheads after the plan")
  eq(rus:system("ICBM force").warheads, 1185, "ICBM leg at its ceiling")
  eq(rus:stockpile().reserve, 1132 - 493, "uploads drew on the reserve")
  log("stdlib_new_start: all checks passed")
  ran[#ran + 1] = "2026-12-30"
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2026-12-30"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
