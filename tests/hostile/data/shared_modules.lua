-- shared_modules.lua: the standard library's modules are run once per worker
-- and shared by all its runs (docs/api.md, "Data and modules"). Each run first
-- checks that it sees every module exactly as loaded (the outcome `seen` lists
-- what differs), then tries every way we know to write through a module, its
-- tables, its functions' state and its environment; a write that is not
-- refused fails the run at once. shared_modules.sh runs it with mc.
scenario { title = "shared modules", start = "2026-01-01", stop = "2026-02-01" }
local moves = require "detente.moves"
local policies = require "detente.policies"
local check = require "detente.check"
local mtth = require "detente.mtth"
local counting = require "detente.counting"
local nst = require "detente.treaties.new_start"

local seen = {}
local function saw(what) seen[#seen + 1] = what end
local function get(t, ...)
  local ok, v = pcall(function(...)
    local x = t
    for _, k in ipairs({ ... }) do x = x[k] end
    return x
  end, ...)
  return ok and v or nil
end

-- What an earlier run may have left behind.
for name, m in pairs({ moves = moves, policies = policies, check = check, mtth = mtth,
                       counting = counting, nst = nst }) do
  if detente.type(m) ~= "Module" then saw(name .. ":not-shared") end
  if get(m, "leak") ~= nil then saw(name .. ".leak") end
end
if #moves.DEFS ~= 10 or get(moves, "DEFS", 1, "name") ~= "offer_extension" then
  saw("moves.DEFS")
end
if get(moves, "DEFS", 1, "spec", "leak") ~= nil then saw("moves.DEFS[1].spec") end
if get(moves, "offer_extension", "args", 1, "name") ~= "to" then saw("moves.args") end
if get(moves, "pledge", "apply") ~= get(moves, "DEFS", 5, "spec", "apply") then
  saw("moves.apply")
end
if #policies.EFFECTS ~= 19 then saw("policies.EFFECTS#") end
if policies.EFFECTS[4].trust ~= 0.04 then saw("policies.EFFECTS[4]") end
if policies.effect("offer").trust ~= 0.04 or policies.effect("offer").tension ~= -0.03 then
  saw("policies.effect")
end
if policies.effect("leak_kind") ~= nil then saw("policies.set_effect") end
if counting.NEW_START[2].limit ~= 1550
    or counting.NEW_START[2].terms[1].categories[1] ~= "ICBM" then
  saw("counting.NEW_START")
end
if nst.DATES.expires ~= "2026-02-05" or nst.LIMITS[2].max ~= 1550 then saw("nst") end
if check.suggest("mean_day", { "mean_days" }) ~= "mean_days" then saw("check") end
if mtth.chance_within(1, 0) ~= 0 then saw("mtth") end
if select("#", pairs(moves)) ~= 3 or type(select(2, pairs(moves))) ~= "userdata" then
  saw("pairs hands out a table")
end

-- Leave things behind, every way we can think of: each must be refused.
local function refused(what, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("not refused: " .. what, 0) end
  return tostring(err)
end
local msg = refused("assignment", function() moves.leak = true end)
if not msg:find("detente.moves is a standard-library module shared by every run and read-only", 1,
                true) or not msg:find("(writing detente.moves.leak)", 1, true) then
  error("the message does not name the module and field: " .. msg, 0)
end
-- a write into a nested table names the whole path from the module, the same
-- in every worker and process (the path is found in a defined order)
local function names(path, f, ...)
  local m = refused(path, f, ...)
  if not m:find("(writing " .. path .. ")", 1, true) then
    error("the message should name " .. path .. ": " .. m, 0)
  end
end
names("detente.policies.EFFECTS[1].trust", function() policies.EFFECTS[1].trust = 0 end)
names("detente.moves.DEFS[1].spec.leak", function() moves.DEFS[1].spec.leak = true end)
names("detente.counting.NEW_START[2].terms[1].categories[3]",
      function() counting.NEW_START[2].terms[1].categories[3] = "leak" end)
names('detente.moves.DEFS[2]["a b"]', function() moves.DEFS[2]["a b"] = 1 end)
names("detente.moves[1.5]", function() moves[1.5] = 1 end)
names("detente.moves.DEFS[1][true]", function() moves.DEFS[1][true] = 1 end)
-- a row reached through a module's function is named by the field that holds it
names("detente.policies.EFFECTS[" .. (function()
  for i, e in ipairs(policies.EFFECTS) do if e.kind == "offer" then return i end end
end)() .. "].trust", function() policies.effect("offer").trust = 1 end)
refused("nested assignment", function() moves.DEFS[1].spec.leak = true end)
refused("nested apply", function() moves.pledge.apply = function() end end)
refused("args", function() moves.offer_extension.args[1].name = "leak" end)
refused("effects row", function() policies.EFFECTS[4].trust = 1 end)
refused("effect()'s row", function() policies.effect("offer").trust = 1 end)
refused("counting rule", function() counting.NEW_START[2].limit = 1 end)
refused("categories", function() counting.NEW_START[2].terms[1].categories[1] = "leak" end)
refused("nst.DATES", function() nst.DATES.expires = "2030-01-01" end)
refused("function field", function() check.suggest = function() return "leak" end end)
refused("rawset", rawset, moves, "leak", true)
refused("rawset nested", rawset, moves.DEFS, 1, true)
refused("rawget", rawget, moves, "DEFS")
refused("next", next, policies.EFFECTS)
refused("setmetatable", setmetatable, moves, {})
refused("table.insert", table.insert, moves.DEFS, { name = "leak" })
refused("table.remove", table.remove, moves.DEFS)
refused("table.sort", table.sort, policies.EFFECTS, function(a, b) return a.kind > b.kind end)
refused("table.move", table.move, { 1, 2 }, 1, 2, 1, moves.DEFS)
refused("a global from a shared module's function", function()
  -- the modules' functions see the engine's globals only, never the scenario's
  leak_global = true
  return moves.make(nil, "leak")
end)
if getmetatable(moves) ~= false or getmetatable(moves.DEFS) ~= false then
  error("a module's metatable is reachable", 0)
end
-- pairs walks a module but hands out views, never its tables
for _, d in pairs(moves.DEFS) do
  if type(d) ~= "userdata" then error("pairs handed out a " .. type(d), 0) end
end
for _, d in ipairs(policies.EFFECTS) do refused("a row from ipairs", function() d.trust = 0 end) end
-- what a run changes through a module's own functions is the run's alone
policies.set_effect("offer", 0.9, 0.9)
policies.set_effect("leak_kind", 1, 1)
if policies.effect("offer").trust ~= 0.9 or policies.effect("leak_kind").trust ~= 1 then
  error("set_effect did not change this run's effects", 0)
end
if policies.EFFECTS[4].trust ~= 0.04 then error("set_effect changed the defaults", 0) end
-- a coroutine left suspended inside a module's function
local co = coroutine.wrap(function()
  counting.treaty(setmetatable({}, { __index = function() coroutine.yield(); return nil end }))
end)
pcall(co)
-- module errors still name the module's file and line
local ok, err = pcall(policies.willingness, nil, nil)
if ok or not tostring(err):find("stdlib/detente/policies.lua:%d+:") then
  error("a module's error does not name its file and line: " .. tostring(err), 0)
end

-- the standard moves are defined in every run from the shared specs (checked once per
-- worker), and their arguments are checked as before
local names = moves.install()
if #names ~= 10 or #_G.moves() ~= 10 then error("moves.install defined " .. #_G.moves(), 0) end
local a = state { id = "A", name = "A" }
local r, why = a:move("public_statement", { text = "hi", leak = 1 })
if r ~= nil or not tostring(why):find("unknown argument 'leak'; the arguments are: text tone to",
                                     1, true) then
  error("unknown argument: " .. tostring(why), 0)
end
if a:move("public_statement", { text = "hi", tone = "positive" }) ~= true then
  error("a standard move failed", 0)
end

outcome("seen", function() return table.concat(seen, ",") end)
outcome("draw", function() return rng.uniform(0, 1) end)
