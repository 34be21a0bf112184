-- api_force_model.lua: missiles, reloads, range and basing on systems; counting
-- by range band and basing; the warhead stockpile; per-party limits; breach
-- events; the withdrawal notice; declarations and inspections.
scenario { title = "api: force model", start = "2018-10-20", stop = "2020-12-31" }
local usa, rus, chn = state { id = "USA" }, state { id = "RUS" }, state { id = "CHN" }

-- A launcher with four missiles and spare missiles: 9M729-like (range 500-5,500 km).
local ssc8 = rus:system { name = "9M729", category = "GLCM", basing = "ground", range = 2350,
                          deployed = 4, missiles_per_launcher = 4, reloads = 8, per_missile = 1 }
assert(ssc8.missiles == 24 and ssc8.deployed_missiles == 16 and ssc8.reloads == 8, "missiles")
assert(ssc8.warheads == 16 and ssc8.range == 2350 and ssc8.basing == "ground", "attributes")
local isk = rus:system { name = "Iskander-M", category = "SRBM", basing = "ground", range = 480,
                         deployed = 100 }
local kal = rus:system { name = "Kalibr", category = "SLCM", basing = "sea", range = 2000,
                         deployed = 50 }
assert(isk.range == 480 and kal.basing == "sea" and isk.missiles_per_launcher == 1, "defaults")
local unknown = chn:system { name = "DF-26", category = "IRBM", deployed = 10 }
assert(unknown.range == nil and unknown.basing == "unknown", "unknown range and basing")

local ok, err = pcall(rus.system, rus, { name = "x", category = "A", basing = "space" })
assert(not ok and err:find("unknown basing 'space'"), tostring(err))
ok, err = pcall(rus.system, rus, { name = "y", category = "A", range = -1 })
assert(not ok and err:find("'range' must be a number of km"), tostring(err))
ok, err = pcall(rus.system, rus, { name = "z", category = "A", missiles_per_launcher = 0 })
assert(not ok and err:find("missiles_per_launcher"), tostring(err))
ok, err = pcall(rus.system, rus,
                { name = "w", category = "A", deployed = 1, per_missile = 1, warheads = 1 })
assert(not ok and err:find("give one of"), tostring(err))

-- Counting by range band and basing (the INF ban's shape).
metric { name = "inf_missiles",
         terms = { { categories = "*", count = "missiles", range = { 500, 5500 },
                                            basing = "ground", accountable = false } } }
metric { name = "inf_launchers",
         terms = { { categories = "*", count = "launchers", range = { 500, 5500 },
                                             basing = { "ground" }, accountable = false } } }
metric { name = "all_missiles",
         terms = { { categories = "*", count = "missiles", accountable = false } } }
assert(rus:count("inf_missiles") == 24 and rus:count("inf_launchers") == 4,
       "only the 9M729 is in the band")
assert(rus:count("all_missiles") == 24 + 100 + 50, "all missiles")
ok, err = pcall(metric, { name = "bad", terms = { { categories = "*", count = "missiles",
                                                    range = { 5500, 500 } } } })
assert(not ok and err:find("range must be"), tostring(err))
ok, err = pcall(metric, { name = "bad2", terms = { { categories = "*", count = "rockets" } } })
assert(not ok and err:find("unknown count 'rockets'"), tostring(err))

-- The stockpile: uploads draw on the reserve.
usa:system { name = "Trident", category = "SLBM", deployed = 10, warheads = 40, capacity = 8 }
assert(usa:stockpile() == nil, "not tracked until set")
ok, err = pcall(usa.dismantle, usa, 1)
assert(not ok and err:find("not tracked"), tostring(err))
usa:set_stockpile { reserve = 20, awaiting_dismantlement = 100 }
local sp = usa:stockpile()
assert(sp.deployed == 40 and sp.reserve == 20 and sp.stockpile == 60 and sp.inventory == 160,
       "stockpile")
ok, err = pcall(usa:system("Trident").upload, usa:system("Trident"), 21)
assert(not ok and err:find("only 20 warheads are in reserve"), tostring(err))
usa:system("Trident"):upload(20)
assert(usa:stockpile().reserve == 0, "reserve drawn")
usa:system("Trident"):download(10)
usa:retire_warheads(5)
assert(usa:stockpile().reserve == 5 and usa:stockpile().awaiting_dismantlement == 105, "retired")
local dis = usa:dismantle(105, { per_year = 365 })
assert(dis.op == "dismantle" and dis.total == 105, "dismantlement at a rate")

-- A three-party treaty with per-party limits, a withdrawal notice and events.
local seen = {}
on("treaty.*", function(ev) seen[#seen + 1] = ev.kind .. ":" .. (ev.by and ev.by.id or "-") end)
local t = treaty { id = "inf", name = "INF", parties = { usa, rus, chn }, in_force = "1988-06-01",
                   withdrawal_notice = months(6),
                   limits = { { metric = "inf_missiles", max = 0, parties = { usa, rus } },
                              { metric = "inf_missiles", max = 20, party = chn } } }
assert(t.withdrawal_notice.months == 6, "notice period")
assert(t:limit("inf_missiles", rus) == 0 and t:limit("inf_missiles", chn) == 20, "per-party limits")
assert(#t:limits() == 2 and t:limits()[1].parties[2] == rus, "limits list their parties")
assert(t:in_breach(rus) and not t:in_breach(chn) and not t:complies(rus) and t:complies(chn),
       "breach at creation")
ok, err = pcall(treaty, { id = "x", parties = { usa, rus },
                          limits = { { metric = "inf_missiles", max = 0, party = chn } } })
assert(not ok and err:find("CHN is not a party"), tostring(err))
ok, err = pcall(treaty, { id = "x2", parties = { usa, rus }, withdrawal_notice = "6 months" })
assert(not ok and err:find("must be a duration"), tostring(err))

at("2018-12-01", function()
  chn:system("DF-26"):build(0)
  ssc8:eliminate(8)
  assert(t:in_breach(rus), "still 16 missiles")
  ssc8:undeploy(4)
  assert(not t:in_breach(rus) and t:complies(rus), "no missiles left loaded")
end)

-- Declarations and inspections.
at("2019-01-01", function()
  ssc8:deploy(4)
  t:declare(rus, { inf_missiles = 0 })
  assert(t:declared(rus, "inf_missiles") == 0 and t:count(rus, "inf_missiles") == 16,
         "declared vs actual")
  assert(t:declared(usa, "inf_missiles") == nil, "nothing declared")
  assert(t:inspect(rus, { by = usa, p_detect = 1 }) == true, "a sure inspection finds it")
  assert(t:inspect(rus, { by = usa, p_detect = 0 }) == false, "a blind one does not")
  local ok2, err2 = pcall(t.declare, t, rus, { nope = 1 })
  assert(not ok2 and err2:find("'nope' is not a metric the treaty limits"), tostring(err2))
  ok2, err2 = pcall(t.inspect, t, rus, { p_detect = 2 })
  assert(not ok2 and err2:find("p_detect"), tostring(err2))
end)

at("2019-02-02", function()
  local eff = t:give_notice(usa, "Russian violation")
  assert(tostring(eff) == "2019-08-02" and tostring(t:notice(usa)) == "2019-08-02", "notice date")
  local ok2, err2 = pcall(t.give_notice, t, usa)
  assert(not ok2 and err2:find("notice already given"), tostring(err2))
  t:suspend(rus, "mirror measure")
  assert(t:observance(rus) == "suspended" and not t:binds(rus), "party suspension")
  t:resume(rus, "back")
  assert(t:observance(rus) == "complying", "party resumes")
end)

outcome("events", function()
  assert(t:observance(usa) == "withdrawn" and t.status == "in_force",
         "USA left; RUS and CHN remain")
  local want = "treaty.breach:RUS,treaty.compliance_restored:RUS,treaty.breach:RUS,\z
    treaty.declaration:RUS," ..
    "treaty.inspection:USA,treaty.inspection:USA,treaty.notice:USA,treaty.observance:RUS," ..
    "treaty.observance:RUS,treaty.breach:RUS,treaty.withdrawn:USA"
  assert(table.concat(seen, ",") == want, "treaty events: " .. table.concat(seen, ","))
  return #seen
end)
