-- tests/lua/stdlib_counting.lua: counting rules on a hand-computed arsenal, an
-- INF-style ban built with detente.counting, and malformed rules.
scenario { title = "stdlib: counting rules", start = "2030-01-01", stop = "2030-03-01" }
local counting = require "detente.counting"

local function eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end

local a = state { id = "A", name = "Atlantis" }
local b = state { id = "B", name = "Borealis" }
a:system { name = "silo", category = "ICBM", deployed = 10, nondeployed = 2, warheads = 25,
           capacity = 3 }
a:system { name = "boat", category = "SLBM", deployed = 4, nondeployed = 0, warheads = 16,
           capacity = 8 }
a:system { name = "bomber", category = "BOMBER", deployed = 3, nondeployed = 1 }
a:system { name = "bomber (conventional)", category = "BOMBER", deployed = 5, nondeployed = 0,
           accountable = false }
a:system { name = "cruise", category = "GLCM_INF", deployed = 2, nondeployed = 4,
           accountable = false }
b:system { name = "silo", category = "ICBM", deployed = 5, warheads = 5, capacity = 1 }

-- Hand computation for A:
--   deployed launchers = 10 + 4 + 3 = 17 (the conventional bombers are not accountable)
--   deployed warheads  = 25 + 16 + 1 x 3 bombers = 44
--   total launchers    = 12 + 4 + 4 = 20
--   INF-range launchers = 2 + 4 = 6 (a ban counts every row, declared or not)
local t = counting.treaty {
  id = "test_treaty", name = "Test treaty", parties = { a, b },
  in_force = "2029-01-01", expires = "2040-01-01",
  limits = {
    { rule = counting.NEW_START[1], max = 700 },
    { rule = counting.NEW_START[2], max = 40 },
    { rule = "total_launchers", max = 800 },   -- a metric name works too once defined
    counting.ban("inf_range_launchers", { "GLCM_INF" }),
  },
}
counting.new_start()   -- defining again is a no-op
eq(t:count(a, "deployed_launchers"), 17, "deployed launchers")
eq(t:count(a, "deployed_warheads"), 44, "deployed warheads")
eq(t:count(a, "total_launchers"), 20, "total launchers")
eq(t:count(a, "inf_range_launchers"), 6, "banned launchers")
for i = 1, #counting.NEW_START do
  local r = counting.NEW_START[i]
  eq(counting.evaluate(r, a), t:count(a, r.name), "Lua and C agree on " .. r.name)
end
eq(counting.evaluate(counting.ban_rule("x", { "GLCM_INF" }), a), 6, "ban rule in Lua")
eq(counting.evaluate(counting.simple("icbm_w", { "ICBM" }, "warheads"), a), 25, "simple rule")
eq(counting.evaluate(counting.simple("all_deployed", "*", "deployed"), a), 17,
   "'*' counts accountable rows of any category")

-- Breaches: 44 > 40 warheads and 6 > 0 banned launchers.
eq(t:complies(a), false, "A breaches")
local br = t:breaches(a)
eq(#br, 2, "two breaches")
eq(br[1].metric, "deployed_warheads", "first breach"); eq(br[1].value, 44, "value");
eq(br[1].max, 40, "max")
eq(br[2].metric, "inf_range_launchers", "second breach"); eq(br[2].value, 6, "banned value")
local rows = counting.headroom(t, a)
eq(rows[2].room, -4, "headroom under 1,550-style limit")
eq(counting.summary(t, b), "deployed_launchers 5/700, deployed_warheads 5/40, total_launchers \z
    5/800, inf_range_launchers 0/0", "summary")

-- Eliminate the banned missiles and download 4 warheads: A complies.
a:system("cruise"):undeploy(2)
a:system("cruise"):retire(6)
a:system("silo"):download(4)
eq(t:count(a, "inf_range_launchers"), 0, "ban met")
eq(t:count(a, "deployed_warheads"), 40, "at the limit")
eq(t:complies(a), true, "A complies")

-- Malformed rules fail with a message naming the rule.
local function fails(fn, needle)
  local ok, err = pcall(fn)
  if ok then error("expected an error containing '" .. needle .. "'", 2) end
  if not tostring(err):find(needle, 1, true) then
    error("error '" .. tostring(err) .. "' lacks '" .. needle .. "'", 2)
  end
end
fails(function() counting.define({ name = "bad", terms = { { categories = { "ICBM" },
    count = "rockets" } } }) end, "count must be")
fails(function() counting.define({ name = "bad2", terms = {} }) end, "needs terms")
fails(function() counting.define({ name = "bad3", terms = { { categories = "ICBM",
    count = "deployed" } } }) end, "categories must be")
fails(function() counting.define({ terms = {} }) end, "needs name")
fails(function() counting.treaty { id = "x", parties = { a, b }, limits = { { max = 1 } } } end,
      "needs rule")

-- A rule given as a function.
counting.define { name = "double_warheads", doc = "test",
                  fn = function(st) return 2 * st:quantity("warheads") end }
eq(t:count(a, "double_warheads"), 2 * (21 + 16), "fn rule")
-- counting.range: a band of ranges on ground-based systems (INF's shape).
a:system { name = "GLCM-X", category = "GLCM", basing = "ground", range = 2500, deployed = 3,
           missiles_per_launcher = 4, reloads = 2 }
a:system { name = "SLCM-X", category = "SLCM", basing = "sea", range = 2500, deployed = 5 }
a:system { name = "SRBM-X", category = "SRBM", basing = "ground", range = 499, deployed = 7 }
local inf = counting.range(500, 5500, { name = "inf_m" })
eq(inf.doc, "missiles of ground-based systems with a range of 500-5500 km", "range rule doc")
eq(counting.evaluate(inf, a), 14, "range rule in Lua")
counting.define(inf)
eq(a:count("inf_m"), 14, "range rule in the engine: 3 x 4 + 2")
local any = counting.range(500, 5500, { name = "band_any", basing = false, count = "launchers" })
counting.define(any)
eq(a:count("band_any"), 8, "any basing: GLCM and SLCM launchers")
eq(counting.evaluate(any, a), 8, "the same in Lua")
fails(function() counting.range(5500, 500) end, "needs 0 <= min_km")
fails(function() counting.range(500, 5500, { count = "rockets" }) end, "unknown count")
log("stdlib_counting: all checks passed")
