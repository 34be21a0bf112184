-- examples/per_party_limits.lua: a treaty of three parties with limits of their own.
--
-- Each limit binds every party, or only those in its `parties` list: the same
-- metric can carry a different ceiling for each party. The engine watches each
-- bound party and emits treaty.breach the day one of them crosses its own limit.
-- Run: detente run examples/per_party_limits.lua
scenario { title = "Asymmetric limits", start = "2027-01-01", stop = "2028-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
local chn = state { id = "CHN", name = "China" }
-- Illustrative holdings, not sourced figures.
usa:system { name = "ICBM", category = "ICBM", deployed = 400, warheads = 400, capacity = 3 }
rus:system { name = "ICBM", category = "ICBM", deployed = 320, warheads = 850, capacity = 4 }
local df = chn:system { name = "ICBM", category = "ICBM", deployed = 150, warheads = 300,
                        capacity = 3 }
local w = metric { name = "icbm_warheads",
                   terms = { { categories = { "ICBM" }, count = "warheads" } } }

local t = treaty {
  id = "tri", name = "Trilateral framework", parties = { usa, rus, chn }, in_force = "2027-01-01",
  limits = { { metric = w, max = 1000, parties = { usa, rus } },   -- the two large arsenals
             { metric = w, max = 400, party = chn } },               -- a lower ceiling for China
}

on("treaty.breach", function(ev)
  note(ev.by, ("%s passes its own ceiling of %d"):format(ev.by.id, ev.max))
end)

at("2027-06-01", function() df:upload(150, { per_month = 10 }) end)

outcome("usa_limit", function() return t:limit(w, usa) end)
outcome("chn_limit", function() return t:limit(w, chn) end)
outcome("chn_in_breach", function() return t:in_breach(chn) end)
