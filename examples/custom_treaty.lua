-- examples/custom_treaty.lua: a treaty of your own with its own counting rules.
--
-- An INF-style ban: no ground-launched missiles of 500-5,500 km range. The
-- scenario gives those missiles a category of their own ("GLCM_INF"), and
-- detente.counting turns "ban this category" into a metric with limit 0.
-- Run: detente run examples/custom_treaty.lua
local counting = require "detente.counting"

scenario { title = "An INF-style ban", start = "1988-06-01", stop = "1991-07-01" }

local usa = state { id = "USA", name = "United States" }
local urs = state { id = "URS", name = "Soviet Union" }
-- Illustrative holdings, not sourced figures.
usa:system { name = "Pershing II", category = "GLBM_INF", deployed = 12, nondeployed = 8,
             warheads = 12, capacity = 1 }
urs:system { name = "SS-20", category = "GLBM_INF", deployed = 30, nondeployed = 10, warheads = 90,
             capacity = 3 }
urs:system { name = "SS-25", category = "ICBM", deployed = 20, warheads = 20, capacity = 1 }

local inf = counting.treaty {
  id = "inf", name = "INF-style ban", parties = { usa, urs },
  in_force = "1988-06-01", expires = "2019-08-02",
  limits = {
    counting.ban("inf_launchers", { "GLBM_INF", "GLCM_INF" }),   -- every launcher, limit 0
    -- A second rule in one line: warheads on those missiles (also limit 0).
    { rule = counting.simple("inf_warheads", { "GLBM_INF", "GLCM_INF" }, "warheads"), max = 0 },
  },
}

---Eliminate one side's banned launchers over about two years: stand down, then destroy.
local function eliminate(st, name, per_month)
  local s = st:system(name)
  s:undeploy(s.deployed)                         -- warheads come off with the launchers
  s:retire(s.nondeployed, { per_month = per_month })
end

at("1988-07-01", function()
  eliminate(usa, "Pershing II", 1)
  eliminate(urs, "SS-20", 2)
end)

every(months(6), function()
  log(("USA %s | URS %s"):format(counting.summary(inf, usa), counting.summary(inf, urs)))
end)

outcome("usa_complies", function() return inf:complies(usa) end)
outcome("urs_complies", function() return inf:complies(urs) end)
outcome("urs_icbms_untouched", function() return urs:system("SS-25").deployed end)
