-- api_world.lua: states, attributes, relations, systems and counting.
scenario { title = "api: world", start = "2026-01-01", stop = "2026-02-01" }
local usa = state { id = "USA", name = "United States", attrs = { doctrine = "flexible response" } }
local rus = state { id = "RUS" }
assert(usa.doctrine == "flexible response" and usa.name == "United States",
       "attributes from the constructor")
usa.attrs.mood = "cautious";
assert(usa.mood == "cautious", "attributes added later, through .attrs")
usa.mood = "calm"; assert(usa.attrs.mood == "calm", "an existing attribute is set directly")
assert(rus.name == "RUS", "name defaults to id")
assert(state("USA") == usa, "lookup returns the same handle")
assert(#states() == 2 and states()[1] == usa and states()[2] == rus, "states in declaration order")
assert(tostring(usa) == "USA", "tostring")
assert(not pcall(function() usa.id = "X" end), "id is read-only")
assert(usa:relation(rus, "trust") == 0, "relations start at 0")
usa:set_relation(rus, "trust", 0.4)
assert(usa:relation(rus, "trust") == 0.4 and rus:relation(usa, "trust") == 0, "one-way by default")
local adjusted = usa:adjust(rus, "trust", -0.1, "mutual")
assert(adjusted == 0.4 - 0.1, "adjust returns the new value, got " .. tostring(adjusted))
assert(usa:relation(rus, "trust") == adjusted, "adjust sets the relation")
assert(math.abs(rus:relation(usa, "trust") - 0.3) < 1e-12, "mutual adjust sets both ways")
for i = 1, 20 do state { id = "S" .. i } end        -- more states after relations exist
assert(math.abs(usa:relation(rus, "trust") - 0.3) < 1e-12, "relations survive new states")
local mm3 = usa:system { name = "Minuteman III", category = "ICBM", deployed = 400,
                         nondeployed = 50, per_launcher = 1, capacity = 3 }
usa:system { name = "Trident II", category = "SLBM", deployed = 230, warheads = 970 }
usa:system { name = "B-52H", category = "BOMBER", deployed = 46, nondeployed = 20 }
usa:system { name = "Test silo", category = "ICBM", nondeployed = 4, accountable = false }
assert(mm3.warheads == 400 and mm3.launchers == 450 and mm3.per_launcher == 1, "row fields")
metric { name = "launchers",
         terms = { { categories = { "ICBM", "SLBM", "BOMBER" }, count = "launchers" } } }
metric { name = "warheads", terms = { { categories = { "ICBM", "SLBM" }, count = "warheads" },
                                      { categories = "BOMBER", count = "deployed" } } }
metric { name = "all_launchers",
         terms = { { categories = "*", count = "launchers", accountable = false } } }
metric { name = "doubled", fn = function(s) return 2 * s:quantity("deployed") end }
assert(usa:count("launchers") == 450 + 230 + 66, "launchers: " .. usa:count("launchers"))
assert(usa:count("warheads") == 400 + 970 + 46, "warheads")
assert(usa:count("all_launchers") == 750, "non-accountable rows counted when asked")
assert(usa:count("doubled") == 2 * (400 + 230 + 46), "Lua metric")
assert(usa:quantity("warheads", { "SLBM" }) == 970, "quantity by category")
mm3:upload(200)
assert(mm3.warheads == 600, "upload")
local ok, err = pcall(mm3.upload, mm3, 601)
assert(not ok and err:find("capacity is 1200"), "capacity enforced: " .. tostring(err))
mm3:undeploy(100)
assert(mm3.deployed == 300 and mm3.nondeployed == 150 and mm3.warheads == 450,
       "undeploy takes its warheads: " .. mm3.warheads)
mm3:retire(150); mm3:build(10); mm3:deploy(10)
assert(mm3.deployed == 310 and mm3.nondeployed == 0, "retire, build, deploy")
ok, err = pcall(mm3.deploy, mm3, 1)
assert(not ok and err:find("only 0 launchers are non%-deployed"), tostring(err))
local ch = mm3:download(100, { per_week = 7 })
assert(ch.total == 100 and ch.active, "gradual change handle")
local ran = {}
at("2026-01-11", function() assert(ch.done == 10, "10 done after 10 days, got " .. ch.done);
   ch:cancel(); ran[#ran + 1] = "2026-01-11" end)
outcome("warheads", function()
  assert(not ch.active and ch.done == 10 and ch.reason == "cancelled", "cancelled change stops")
  return mm3.warheads
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2026-01-11"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
