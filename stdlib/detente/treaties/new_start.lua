--- detente.treaties.new_start: the New START treaty, both parties' 2025 forces,
-- the official data-exchange series and upload-capacity estimates.
--
-- Every figure comes from the files in stdlib/detente/data/new_start/ (see its
-- README.md), each row of which carries its source URL. Where this module makes a
-- choice between sources, or derives a number, the comment beside it says so.
--
--   local nst = require "detente.treaties.new_start"
--   local usa, rus = nst.parties()
--   local t = nst.treaty()
local counting = require "detente.counting"
local files = require "detente.data.new_start"
local check = require "detente.check"

local nst = {}

--- ISO dates of the treaty, from treaty.json "key_dates".
nst.DATES = {
  signed = "2010-04-08",           -- Prague (passblue.com/2011/11/04/901/)
  senate_consent = "2010-12-22",   -- alliedalin.com/start-nuclear-arms-treaty-1635
  in_force = "2011-02-05",         -- exchange of instruments (alliedalin.com)
  first_inspections = "2011-04-06",-- 2009-2017.state.gov/t/avc/rls/183335.htm
  limits_binding = "2018-02-05",   -- 2017-2021.state.gov report on continued implementation
  extended = "2021-02-03",         -- five-year extension announced (telugubullet.com)
  suspended = "2023-02-28",        -- Russia's suspension formalised (state.gov aggregate numbers 5)
  expires = "2026-02-05",          -- kyivindependent.com; State Dept says "through February 4,
                                   -- 2026"
}

--- The central limits, in treaty order (state.gov aggregate numbers page).
nst.LIMITS = {
  { metric = "deployed_launchers", max = 700 },
  { metric = "deployed_warheads", max = 1550 },
  { metric = "total_launchers", max = 800 },
}

---Read a number out of a data cell: numbers pass through, strings such as
---"~970", "1,200 (derived: 400 x 3)" or "more than 3,500" give their first number;
---empty cells (nil) and cells with no digits ("not found") give nil, never zero.
---@param v any
---@return number|nil
function nst.number(v)
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local s = v:match("%d[%d,]*%.?%d*")
  if not s then return nil end
  s = s:gsub(",", "")
  return tonumber(s)
end

---The data exchanges as published, one row per party and date, in file order.
---Empty cells stay nil ("not found", never zero: see the data README).
---@param opts table|nil { party = "US"|"RU" } to keep one party
---@return table rows { {as_of=, party=, deployed_launchers=, deployed_warheads=, total_launchers=, source_url=}, ... }
function nst.data_exchanges(opts)
  check.fields(opts, "new_start.data_exchanges", { "party" })
  local rows = files.csv("data_exchanges.csv")
  local out = {}
  for i = 1, #rows do
    local r = rows[i]
    if not (opts and opts.party) or r.party == opts.party then
      out[#out + 1] = {
        as_of = r.as_of, party = r.party,
        deployed_launchers = nst.number(r.deployed_launchers),
        deployed_warheads = nst.number(r.deployed_warheads),
        total_launchers = nst.number(r.total_launchers),
        source_url = r.source_url,
      }
    end
  end
  return out
end

---One data exchange row, or nil when the file has none for that date and party.
---@param as_of string "YYYY-MM-DD"
---@param party string "US" or "RU"
---@return table|nil
function nst.exchange(as_of, party)
  local rows = nst.data_exchanges({ party = party })
  for i = 1, #rows do if rows[i].as_of == as_of then return rows[i] end end
  return nil
end

---The dated record (timeline.csv), optionally between two ISO dates inclusive.
---@param opts table|nil { from = "YYYY-MM-DD", to = "YYYY-MM-DD" }
---@return table rows { {date=, actor=, kind=, summary=, source_url=, confidence=}, ... }
function nst.timeline(opts)
  check.fields(opts, "new_start.timeline", { "from", "to" })
  local rows = files.csv("timeline.csv")
  local out = {}
  for i = 1, #rows do
    local r = rows[i]
    if (not (opts and opts.from) or r.date >= opts.from)
        and (not (opts and opts.to) or r.date <= opts.to) then
      out[#out + 1] = r
    end
  end
  return out
end

---The treaty fact sheet (treaty.json), decoded.
---@return table
function nst.facts()
  return files.json("treaty.json")
end

---Upload-capacity estimates (upload_capacity.csv), with the number in each cell
---read out (current, max, added; nil where the source gives none). Rows are
---alternative estimates, NOT additive (see the data README).
---@param opts table|nil { party = "US"|"RU", leg = "ICBM"|"SLBM"|"BOMBER"|"ALL" }
---@return table rows
function nst.upload_capacity(opts)
  check.fields(opts, "new_start.upload_capacity", { "leg", "party" })
  local rows = files.csv("upload_capacity.csv")
  local out = {}
  for i = 1, #rows do
    local r = rows[i]
    if (not (opts and opts.party) or r.party == opts.party)
        and (not (opts and opts.leg) or r.leg == opts.leg) then
      out[#out + 1] = {
        party = r.party, leg = r.leg, system = r.system,
        current = nst.number(r.current_warheads), max = nst.number(r.max_warheads),
        added = nst.number(r.added_warheads), time_to_upload = r.time_to_upload,
        source = r.source, source_url = r.source_url, as_of = r.as_of, notes = r.notes,
        current_text = r.current_warheads, max_text = r.max_warheads,
      }
    end
  end
  return out
end

---The sourced warhead ceiling for one party and leg, used by upload plans.
---"estimate" takes the first row with a current, a max and an added figure (the
---FAS or Reuters/Bulletin estimate); "ceiling" takes the largest such max (for the
---US ICBM leg, our 3-per-missile arithmetic: 1,200 rather than FAS's ~950).
---@param party string "US"|"RU"
---@param leg string "ICBM"|"SLBM"
---@param mode string|nil "estimate" (default) or "ceiling"
---@return number|nil max, table|nil row
function nst.upload_ceiling(party, leg, mode)
  -- Bomber rows count aircraft to re-nuclearise, not warheads; ALL rows are totals.
  if leg ~= "ICBM" and leg ~= "SLBM" then return nil, nil end
  local rows = nst.upload_capacity({ party = party, leg = leg })
  local best
  for i = 1, #rows do
    local r = rows[i]
    if r.current and r.max and r.added and r.max > r.current and r.current > 0 then
      if mode ~= "ceiling" then return r.max, r end
      if not best or r.max > best.max then best = r end
    end
  end
  if best then return best.max, best end
  return nil, nil
end

---Party code in the data files for a state handle.
local function party_code(st)
  if st.attrs.nst_party then return st.attrs.nst_party end
  if st.id == "USA" or st.id == "US" then return "US" end
  if st.id == "RUS" or st.id == "RU" then return "RU" end
  return nil
end

---Find a row of forces_2025.csv by party and exact system name.
local function force_row(rows, party, system)
  for i = 1, #rows do
    if rows[i].party == party and rows[i].system == system then return rows[i] end
  end
  error("new_start: forces_2025.csv has no row '" .. system .. "' for " .. party, 3)
end

---The arsenal rows nst.parties() loads, with the figures and where each comes from.
---US: per system. Russia: per leg (the TOTAL rows), because per-system launcher
---counts were not found; per-system Russian rows are never added to the TOTALs.
---@param opts table|nil { fit_to_limits = true }
---@return table forces { US = { row, ... }, RU = { row, ... } } rows as for state:system{}
function nst.forces(opts)
  check.fields(opts, "new_start.forces", { "fit_to_limits" })
  local fit = not (opts and opts.fit_to_limits == false)
  local rows = files.csv("forces_2025.csv")
  local N = nst.number
  local mm3 = force_row(rows, "US", "LGM-30G Minuteman III")
  local d5 = force_row(rows, "US", "Trident II D5 on Ohio-class SSBN (14 boats x 20 tubes)")
  local b52 = force_row(rows, "US", "B-52H Stratofortress")
  local b2 = force_row(rows, "US", "B-2A Spirit")
  local ricbm = force_row(rows, "RU", "TOTAL: ICBM force (RS-24 Yars, RS-20V/R-36M2 Voevoda, \z
      UR-100NUTTH/Avangard, Topol-M)")
  local rslbm = force_row(
      rows, "RU", "TOTAL: SLBM force (Borei/Borei-A with Bulava; Delta IV with Sineva/Layner)")
  local rbomb = force_row(rows, "RU", "TOTAL: Strategic bombers (Tu-95MS, Tu-160/Tu-160M)")
  local us = {
    { name = "Minuteman III", category = "ICBM",
      deployed = N(mm3.deployed_launchers),          -- 400 (FAS 2024/2025; DoD 2014 plan)
      -- 54 non-deployed = 454 ICBM launchers (DoD plan; New START data 2020-09-01) - 400, derived.
      nondeployed = 454 - N(mm3.deployed_launchers),
      warheads = N(mm3.deployed_warheads),           -- 400, one per missile (FAS 2025)
      capacity = 3,                                  -- up to 3 RVs (FAS Feb 2023;
                                                     -- upload_capacity.csv)
      source = mm3.source_url },
    { name = "Trident II D5", category = "SLBM",
      deployed = N(d5.deployed_launchers),           -- 240 (DoD planned maximum of deployed SLBMs)
      nondeployed = 280 - N(d5.deployed_launchers),  -- 280 SLBM launchers (DoD plan; 2020-09-01),
                                                     -- derived 40
      warheads = N(d5.deployed_warheads),            -- ~970 (FAS 2024/2025)
      capacity = 8,                                  -- 8 RVs per missile (US Navy via AFP/NDTV
                                                     -- 2014; FAS 2023)
      source = d5.source_url },
    { name = "B-52H", category = "BOMBER",
      deployed = N(b52.deployed_launchers),          -- 36 (New START data 2020-09-01)
      nondeployed = 10,                              -- 10 non-deployed (same; 4 test aircraft are
                                                     -- outside the 800)
      warheads = 0, capacity = 0,                    -- New START counts 1 per deployed bomber (see
                                                     -- counting.lua)
      source = b52.source_url },
    { name = "B-2A", category = "BOMBER",
      deployed = N(b2.deployed_launchers),           -- 12 (New START data 2020-09-01)
      nondeployed = 8,                               -- 8 non-deployed (same; 1 test aircraft
                                                     -- outside the 800)
      warheads = 0, capacity = 0,
      source = b2.source_url },
    -- 41 B-52H converted to conventional-only leave accountability (2020-09-01 data;
    -- ~30 operational + the rest stored per AFGSC 2015, as reported in forces_2025.csv).
    { name = "B-52H (conventional-only)", category = "BOMBER", accountable = false,
      deployed = 30, nondeployed = 11, warheads = 0, capacity = 0, source = b52.source_url },
  }
  -- Check: deployed 400+240+36+12 = 688 <= 700; warheads 400+970+48 = 1,418 <= 1,550;
  -- launchers 454+280+46+20 = 800, which is the US total in every exchange since 2017-09.

  local icbm_w = N(ricbm.deployed_warheads)          -- ~870 (FAS 2024, repeated in 2025)
  local slbm_w = N(rslbm.deployed_warheads)          -- ~640 (FAS 2024/2025)
  local bombers = N(rbomb.deployed_launchers)        -- 58 deployed (FAS via CRS; Reuters June 2025)
  local counted = icbm_w + slbm_w + bombers          -- 1,568 by New START rules
  local trimmed = 0
  if fit and counted > 1550 then
    -- FAS's rounded (~) leg estimates, counted by treaty rules, come to 1,568: 18 over
    -- 1,550, inside the precision of "~870". Russia says it keeps the central limits
    -- (Putin, 2025-09-22; Lavrov, 2026-02-11) and last declared 1,474 (2022-03-01). By
    -- default we take the excess off the ICBM leg, whose figures disagree most by source
    -- (~326 vs ~400 launchers). fit_to_limits = false keeps the raw estimate.
    trimmed = counted - 1550
    icbm_w = icbm_w - trimmed
  end
  local ru = {
    { name = "ICBM force", category = "ICBM",
      deployed = N(ricbm.deployed_launchers),        -- ~326 (CRS In Focus May 2024, citing a
                                                     -- nongovernmental estimate)
      -- Non-deployed launchers: no 2025 figure. We keep Russia's last declared total,
      -- 761 (2022-03-01), and give the ICBM leg what the other legs do not explain:
      -- 761 - 576 deployed - 16 SLBM tubes - 9 bombers = 160 (derived).
      nondeployed = 160,
      warheads = icbm_w,
      -- 4 per launcher: ceil(1,185 / 326) (Reuters/Bulletin 2023 capacity; Yars up to 4), derived.
      capacity = 4,
      trimmed = trimmed,
      source = ricbm.source_url },
    { name = "SLBM force", category = "SLBM",
      deployed = N(rslbm.deployed_launchers),        -- 192 SLBMs on 12 SSBNs (CRS 2024; SIPRI 2025)
      -- 16 = 208 tubes (8 Borei x 16 + ~5 Delta IV x 16, both derived in forces_2025.csv) - 192.
      nondeployed = 16,
      warheads = slbm_w,
      -- 5 per launcher: ceil(800 / 192) (Reuters/Bulletin 2023: up to 800 on the SSBNs), derived.
      capacity = 5,
      source = rslbm.source_url },
    { name = "Strategic bombers", category = "BOMBER",
      deployed = bombers,
      nondeployed = 67 - bombers,                    -- 67 bombers (52 Tu-95 + 15 Tu-160), Reuters
                                                     -- June 2025; pre-Spiderweb
      warheads = 0, capacity = 0,
      source = rbomb.source_url },
    -- Outside New START's categories (forces_2025.csv: treaty_accountable = no).
    { name = "Burevestnik", category = "OTHER", accountable = false,
      deployed = 0, nondeployed = 0, warheads = 0, capacity = 0,
      source = force_row(rows, "RU", "9M730 Burevestnik (SSC-X-9 Skyfall) nuclear-powered \z
          cruise missile").source_url },
    { name = "Poseidon", category = "OTHER", accountable = false,
      deployed = 0, nondeployed = 0, warheads = 0, capacity = 0,
      source = force_row(rows, "RU",
                         "Poseidon nuclear-powered, nuclear-armed underwater vehicle").source_url },
  }
  -- Check: deployed 326+192+58 = 576 <= 700; warheads 852+640+58 = 1,550 (fitted);
  -- launchers 486+208+67 = 761 <= 800.
  return { US = us, RU = ru }
end

---Warhead stockpile estimates (stockpiles_2025.csv: FAS 2025), with the number in
---each cell read out (nil where the source gives none).
---@return table { US = {stockpile=, deployed=, reserve=, awaiting_dismantlement=, inventory=, reserve_strategic=, reserve_nonstrategic=, source=, source_url=, as_of=}, RU = {...} }
function nst.stockpile_estimates()
  local rows = files.csv("stockpiles_2025.csv")
  local out = {}
  for i = 1, #rows do
    local r = rows[i]
    out[r.party] = {
      stockpile = nst.number(r.stockpile), deployed = nst.number(r.deployed),
      reserve = nst.number(r.reserve),
      awaiting_dismantlement = nst.number(r.awaiting_dismantlement),
      inventory = nst.number(r.inventory), reserve_strategic = nst.number(r.reserve_strategic),
      reserve_nonstrategic = nst.number(r.reserve_nonstrategic),
      source = r.source, source_url = r.source_url, as_of = r.as_of,
    }
  end
  return out
end

---The stockpiles nst.parties() tracks: the reserve a side could upload from and the
---warheads awaiting dismantlement.
---US: reserve ~1,930, retired ~1,477 (FAS 2025). Russia: only the ~1,114 strategic
---reserve warheads can go on strategic missiles (the ~1,477 non-strategic ones cannot),
---plus the warheads nst.forces trims to fit the limits; retired ~1,150 (FAS 2025).
---@param forces table nst.forces() result (for Russia's trimmed warheads)
---@return table { US = {reserve=, awaiting_dismantlement=}, RU = {...} }
-- What nst.parties and nst.treaty read, worked out once from the fact base when this
-- module loads (once per worker: the module and its tables are shared, read-only, by the
-- worker's runs). The functions above still build fresh tables for a caller.
local FORCES, ESTIMATES, DECLARED   -- set at the end of this file

function nst.stockpiles(forces)
  local e = ESTIMATES
  local trimmed = forces and forces.RU[1].trimmed or 0
  return {
    US = { reserve = e.US.reserve, awaiting_dismantlement = e.US.awaiting_dismantlement },
    RU = { reserve = e.RU.reserve_strategic + trimmed,
           awaiting_dismantlement = e.RU.awaiting_dismantlement },
  }
end

---Look a state up by id, or nil.
local function find_state(id)
  -- Not pcall(state, id): a missing id costs an error message listing the states.
  local ok, all = pcall(states)
  if not ok then return nil end
  for i = 1, #all do if all[i].id == id then return all[i] end end
  return nil
end

---Load one arsenal row list into a state.
local function load_forces(st, list)
  for i = 1, #list do
    local r = list[i]
    st:system { name = r.name, category = r.category, deployed = r.deployed,
                nondeployed = r.nondeployed, warheads = r.warheads, capacity = r.capacity,
                accountable = r.accountable ~= false }
  end
end

---The two parties with their forces as of the latest sourced estimates (2024-2025),
---and their warhead stockpiles (nst.stockpiles; stockpile = false leaves them
---untracked, so that uploads are bounded by capacity alone).
---Reuses states "USA" and "RUS" if the scenario declared them (forces are added
---only to a state with no arsenal yet).
---@param opts table|nil { fit_to_limits = true (see nst.forces), stockpile = true }
---@return any usa, any rus State handles
function nst.parties(opts)
  check.fields(opts, "new_start.parties", { "fit_to_limits" })
  local f = (opts and opts.fit_to_limits == false) and nst.forces(opts) or FORCES
  local track = not (opts and opts.stockpile == false)
  local usa = find_state("USA")
  if not usa then
    usa = state { id = "USA", name = "United States", attrs = { nst_party = "US",
                  -- FAS 2024/2025 (theweek.in 2025-01-17): ~300 weapons at bomber bases, ~3,708
                  -- stockpile
                  bomber_weapons = 300, stockpile = 3708 } }
  end
  local rus = find_state("RUS")
  if not rus then
    rus = state { id = "RUS", name = "Russia", attrs = { nst_party = "RU",
                  -- FAS 2025 (en.ckhq.net): ~200 weapons at bomber bases, ~4,309 stockpile,
                  -- ~1,114 strategic warheads in reserve
                  bomber_weapons = 200, stockpile = 4309, reserve_strategic_warheads = 1114 } }
  end
  local fresh_us, fresh_ru = #usa:systems() == 0, #rus:systems() == 0
  if fresh_us then load_forces(usa, f.US) end
  if fresh_ru then load_forces(rus, f.RU) end
  if track then
    local sp = nst.stockpiles(f)
    if fresh_us and not usa:stockpile() then usa:set_stockpile(sp.US) end
    if fresh_ru and not rus:stockpile() then rus:set_stockpile(sp.RU) end
  end
  return usa, rus
end

---The treaty as it stood in autumn 2025: in force since 2011-02-05, extended once
---(its only extension) to 2026-02-05, Russia's participation suspended since
---2023-02-28 while it says it keeps the central limits.
---The last published data exchange of each side is its declaration (t:declared):
---US 2023-03-01 (1,419 warheads), Russia 2022-03-01 (1,474).
---@param opts table|nil { usa =, rus = (default the states "USA"/"RUS"), suspension = true, declarations = true }
---@return any treaty the Treaty handle
function nst.treaty(opts)
  check.fields(opts, "new_start.treaty", { "usa", "rus", "suspension" })
  opts = opts or {}
  local usa = opts.usa or find_state("USA")
  local rus = opts.rus or find_state("RUS")
  if not usa or not rus then
    error("new_start.treaty: call nst.parties() first (or pass usa =, rus =)", 2)
  end
  local existing = pcall(treaty, "new_start")
  if existing then return treaty("new_start") end
  local t = treaty {
    id = "new_start", name = "New START",
    parties = { usa, rus },
    limits = counting.new_start_limits(),
    signed = nst.DATES.signed, in_force = nst.DATES.in_force, expires = nst.DATES.expires,
    -- One extension of up to five years by mutual agreement (state.gov 175945.htm);
    -- it was used on 2021-02-03, so no formal extension is left.
    max_extensions = 1,
    extensions = 1,
    attrs = {
    formal_name = "Treaty between the United States of America and the Russian Federation on \z
        Measures "
      .. "for the Further Reduction and Limitation of Strategic Offensive Arms",
    extended_on = nst.DATES.extended,
    limits_binding_from = nst.DATES.limits_binding,
    time_to_comply_years = 7,
    -- 18 on-site inspections a year: 10 Type One, 8 Type Two
    -- (2009-2017.state.gov/t/avc/rls/183335.htm); paused for COVID-19 in 2020, barred by Russia in
    -- August 2022 (treaty.json notes).
    inspections = { per_year = 18, type_one = 10, type_two = 8, first = nst.DATES.first_inspections,
                    active = false },
    -- Database every six months, current as of 1 March and 1 September; only the three
    -- aggregates may be published (russianforces.org 2023/06). Last exchange from both
    -- sides: 2022-09-01 (figures not found); the US published its own 2023-03-01 figures.
    data_exchanges = { every_months = 6, as_of = { "03-01", "09-01" }, active = false,
                       last_published = "2023-03-01" },
    -- Bilateral Consultative Commission: last session Oct 2021; Cairo session
    -- (29 Nov-6 Dec 2022) postponed by Russia (bolnews.com 2022-11).
    bcc = { last_session = "2021-10", postponed = "2022-11-28" },
    -- Notifications through the Nuclear Risk Reduction Centers (over 2,300 by May 2012).
    notifications = { channel = "NRRC", active = true },
    -- Unique identifiers on each ICBM, SLBM and heavy bomber (state.gov 175945.htm).
    unique_identifiers = true,
    },
  }
  -- The data exchanges are the parties' declarations: the last ones published
  -- (data_exchanges.csv), stored as the record the run starts from.
  if opts.declarations ~= false then
    local sides = { { usa, "US" }, { rus, "RU" } }
    for i = 1, #sides do
      local rows = DECLARED[sides[i][2]]   -- the complete rows, in file order
      for j = #rows, 1, -1 do
        local r = rows[j]
        if date(r.as_of) <= now() then
          t:declare(sides[i][1], { deployed_launchers = r.deployed_launchers,
                                   deployed_warheads = r.deployed_warheads,
                                   total_launchers = r.total_launchers }, r.as_of)
          break
        end
      end
    end
  end
  if opts.suspension ~= false then
    t:set_observance(rus, "observing_unilaterally",
      "participation suspended on 2023-02-28; Russia says it keeps the central limits")
  end
  return t
end

---Find a state's accountable rows of one category that carry warheads.
local function leg_systems(st, category)
  local out, all = {}, st:systems()
  for i = 1, #all do
    local s = all[i]
    if s.category == category and s.accountable and s.deployed > 0 then out[#out + 1] = s end
  end
  return out
end

---Warheads one leg could still take: up to the sourced ceiling for the leg and
---never beyond the rows' capacity.
---@param st any State
---@param leg string "ICBM"|"SLBM"
---@param mode string|nil "estimate"|"ceiling"
---@return integer room, number|nil ceiling, table|nil source_row
function nst.upload_room(st, leg, mode)
  local code = party_code(st)
  local sys = leg_systems(st, leg)
  local current, cap_room = 0, 0
  for i = 1, #sys do
    current = current + sys[i].warheads
    if sys[i].capacity > 0 then cap_room = cap_room + sys[i].deployed * sys[i].capacity - sys[
        i].warheads
    else cap_room = math.huge end
  end
  local ceiling, row = nil, nil
  if code then ceiling, row = nst.upload_ceiling(code, leg, mode) end
  local room = cap_room
  if ceiling then room = math.min(room, ceiling - current) end
  if room == math.huge or room < 0 then room = 0 end
  return math.floor(room), ceiling, row
end

---A process function that uploads a state's ICBM and SLBM legs, one leg after the
---other, at a rate, towards the sourced ceilings (upload_capacity.csv). Start it
---with spawn(plan). The rate is an assumption: the sources give only "months"
---(FAS 2023 for the US) or "quickly" (Gottemoeller 2020 for Russia).
---@param opts table { state = State, per_month = 60, legs = {"ICBM","SLBM"}, mode = "estimate"|"ceiling", fraction = 1 }
---@return function plan, table control { stop = function(why), changes = {...}, added = n, finished = bool }
function nst.upload_plan(opts)
  check.fields(opts, "new_start.upload_plan", { "state", "per_month", "fraction", "legs", "mode" })
  opts = opts or {}
  local st = opts.state
  if not st then error("new_start.upload_plan: needs state = the uploading state", 2) end
  local per_month = opts.per_month or 60
  if type(per_month) ~= "number" or per_month <= 0 then
    error("new_start.upload_plan: per_month must be a number > 0", 2)
  end
  local legs = opts.legs or { "ICBM", "SLBM" }
  local fraction = opts.fraction or 1
  local control = { changes = {}, added = 0, finished = false, stopped = false }
  function control.stop(why)
    control.stopped = true
    local c = control.changes[#control.changes]
    if c and c.active then c:cancel() end
    control.why = why
  end
  local function plan()
    for i = 1, #legs do
      if control.stopped then break end
      local room, ceiling, row = nst.upload_room(st, legs[i], opts.mode)
      local n = math.floor(room * fraction)
      local sys = leg_systems(st, legs[i])
      if n > 0 and #sys > 0 then
        -- Spread over the leg's rows in order, filling each to its capacity.
        for j = 1, #sys do
          if control.stopped or n <= 0 then break end
          local s = sys[j]
          local free = s.capacity > 0 and (s.deployed * s.capacity - s.warheads) or n
          local k = math.min(n, free)
          if k > 0 then
            note(st, ("%s starts uploading %d warheads on its %s (%s) at %.0f a month, \z
                       toward ~%s%s"):format(
              st.id, k, legs[i], s.name, per_month,
              ceiling and tostring(math.floor(ceiling)) or "capacity",
              row and (" (" .. row.source .. ")") or ""))
            local c = s:upload(k, { per_month = per_month })
            control.changes[#control.changes + 1] = c
            while c.active do wait_for("arsenal.change_*") end
            control.added = control.added + c.done
            n = n - c.done
          end
        end
      end
    end
    control.finished = true
  end
  return plan, control
end

FORCES = nst.forces()
ESTIMATES = nst.stockpile_estimates()
DECLARED = {}
for _, party in ipairs({ "US", "RU" }) do
  local rows, complete = nst.data_exchanges({ party = party }), {}
  for i = 1, #rows do
    local r = rows[i]
    if r.deployed_launchers and r.deployed_warheads and r.total_launchers then
      complete[#complete + 1] = r
    end
  end
  DECLARED[party] = complete
end

return nst
