-- examples/stockpile.lua: a warhead stockpile behind the launchers.
--
-- Once a state's stockpile is tracked, uploads draw warheads from the reserve and
-- downloads return them; retired warheads wait for dismantlement, which runs at a
-- rate. An upload larger than the reserve stops when the reserve is empty.
-- Run: detente run examples/stockpile.lua
scenario { title = "A warhead stockpile", start = "2026-02-05", stop = "2027-02-05" }

local usa = state { id = "USA", name = "United States" }
-- Illustrative figures, not sourced (the stdlib's FAS 2025 estimates are in
-- detente.treaties.new_start: nst.stockpile_estimates()).
local d5 = usa:system { name = "Trident II D5", category = "SLBM", deployed = 240, warheads = 970,
                        capacity = 8 }
usa:set_stockpile { reserve = 300, awaiting_dismantlement = 1000 }

local function show(why)
  local s = usa:stockpile()
  note(usa, ("%s: deployed %d, reserve %d, awaiting dismantlement %d"):format(
    why, s.deployed, s.reserve, s.awaiting_dismantlement))
end

at("2026-02-05", function()
  show("start")
  d5:upload(400, { per_month = 50 })        -- only 300 in reserve: stops there
  usa:dismantle(1000, { per_year = 500 })
end)
at("2026-09-01", function() show("September") end)
at("2027-01-15", function()
  d5:download(100)                          -- back to the reserve
  usa:retire_warheads(50)                   -- and some of it retired
  show("January")
end)

outcome("reserve", function() return usa:stockpile().reserve end)
outcome("awaiting_dismantlement", function() return usa:stockpile().awaiting_dismantlement end)
