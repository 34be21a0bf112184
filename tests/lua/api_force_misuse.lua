-- api_force_misuse.lua: misuse of the force model, stockpile, declarations, notice, groups,
-- multilateral proposals and series raises a clear error naming the thing.
scenario { title = "misuse", start = "2026-01-01", stop = "2026-03-01" }
local a, b, c = state { id = "A" }, state { id = "B" }, state { id = "C" }
local w = metric { name = "w", terms = { { categories = "*", count = "warheads" } } }
local t = treaty { id = "t", parties = { a, b }, in_force = "2020-01-01",
                   limits = { { metric = w, max = 5 } } }
local function bad(f, pat)
  local ok, err = pcall(f)
  assert(not ok, "should fail: " .. pat)
  assert(tostring(err):find(pat, 1, true), "expected '" .. pat .. "', got: " .. tostring(err))
end
bad(function() t:declare(a, {}) end, "at least one")
bad(function() t:declare(c, { w = 1 }) end, "C is not a party")
bad(function() t:declare(a, { w = -1 }) end, "must be a number >= 0")
bad(function() t:declare(a, { w = 1 }, "2030-01-01") end, "in the future")
bad(function() t:inspect(a, { by = "ZZ" }) end, "unknown state")
bad(function() t:give_notice(a) end, "no withdrawal clause")
bad(function() t:rescind_notice(a) end, "no notice to rescind")
bad(function() group { id = "G", members = {} } end, "")
bad(function() group { id = "G2" } end, "'members' must list")
bad(function() a:propose { to = { a }, kind = "x" } end, "cannot propose to itself")
bad(function() a:propose { to = { b, c }, kind = "x", quorum = 0 } end, "'quorum' must be")
bad(function() a:propose { to = { b, c }, kind = "x", quorum = "most" } end, "'quorum' must be")
bad(function() a:stockpile_bad() end, "")
bad(function() a:dismantle(1) end, "not tracked")
a:set_stockpile { reserve = 1 }
bad(function() a:retire_warheads(2) end, "only 1 warheads are in reserve")
bad(function() a:dismantle(1) end, "only 0 warheads await dismantlement")
-- A stockpile's rate is read as strictly as a system's: a misspelt rate is an
-- error, not a change made at once.
bad(function() a:produce_warheads(1, { per_dya = 1 }) end,
  "A stockpile: produce: unknown field 'per_dya' (did you mean 'per_day'?)")
assert(a:stockpile().reserve == 1, "the refused change was not made")
bad(function() a:set_stockpile { reserve = -1 } end, "")
bad(function() a:system { name = "s", category = "X", range = 0/0 } end, "range")
bad(function() a:system { name = "s2", category = "X", missiles_per_launcher = 2^40 } end, "")
bad(function() metric { name = "m2", terms = { { categories = "*", count = "warheads",
                                                 basing = "space" } } } end, "unknown basing")
bad(function() metric { name = "m3", terms = { { categories = "*", count = "warheads",
                                                 range = { -1, 5 } } } } end, "range must be")
bad(function() series("s", months(1), function() return 1 end) ;
    series("s", months(1), function() return 1 end) end, "declared twice")
bad(function() outcome("o", function() end, { at = "2027-01-01" }) end, "after the scenario's stop")
local sys = a:system { name = "gl", category = "GLCM", deployed = 1, missiles_per_launcher = 4 }
bad(function() sys:eliminate(1) end, "only 0 reload missiles")
sys:produce(3)
assert(sys.missiles == 7 and sys.reloads == 3)
local p = a:propose { to = { b, c }, kind = "x" }
bad(function() p:respond("accept") end, "each answers")
p:respond("counter", b)
assert(p.status == "rejected")
outcome("done", function() return true end)
