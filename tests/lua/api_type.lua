-- api_type.lua: detente.type(v) names the kind of an engine value, as io.type
-- does for files, and gives nil for anything else; the detente table is shared
-- and read-only.
scenario { title = "api: detente.type", start = "2026-02-05", stop = "2026-03-31" }
local a, b = state { id = "A" }, state { id = "B" }
metric { name = "w", doc = "all warheads", terms = { { categories = "*", count = "warheads" } } }
local sys = a:system { name = "force", category = "ICBM", deployed = 10, warheads = 10,
                       capacity = 2 }
local t = treaty { id = "t", parties = { a, b }, limits = { { metric = "w", max = 15 } },
                   in_force = "2020-01-01", expires = "2026-06-01" }
local p = a:propose { to = b, kind = "talks" }
local ch = sys:upload(2, { per_day = 1 })
local hook = after(days(1), function() end)
local tick = every(days(7), function() end)
local g = group { id = "G", members = { a, b } }

local cases = {
  { a, "State" }, { sys, "System" }, { t, "Treaty" }, { p, "Proposal" }, { ch, "Change" },
  { hook, "Hook" }, { tick, "Hook" }, { days(1), "Duration" }, { hours(36), "Duration" },
  { g, "Group" }, { date("2026-03-01"), "Date" }, { now(), "Date" },
  { months(1), "Duration" }, { dist.uniform(0, 1), "Dist" },
}
for i, c in ipairs(cases) do
  local got = detente.type(c[1])
  assert(got == c[2], ("case %d: expected %s, got %s"):format(i, c[2], tostring(got)))
end
-- Values the engine did not make, including look-alikes.
local fake = setmetatable({}, { __name = "detente.State" })
for i, v in ipairs({ {}, "State", 1, true, print, coroutine.create(function() end), fake, math }) do
  assert(detente.type(v) == nil, ("non-engine value %d: %s"):format(i, tostring(detente.type(v))))
end
assert(detente.type(nil) == nil and detente.type(false) == nil, "nil and false")
local ok, err = pcall(detente.type)
assert(not ok and err:find("value expected"), "no argument is an error: " .. tostring(err))
-- luacheck: ignore 122
ok, err = pcall(function() detente.type = function() return "State" end end)
assert(not ok and err:find("shared library table"), "detente is read-only: " .. tostring(err))
assert(detente.type(a) == "State", "still the engine's type function")
-- A handle's type survives inside hooks and processes.
local seen
on("proposal.*", function(ev) seen = detente.type(ev.proposal) end)
at("2026-02-06", function() p:accept() end)
at("2026-03-01", function() assert(seen == "Proposal", "event fields: " .. tostring(seen)) end)
