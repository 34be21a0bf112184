-- examples/mtth.lua: mean-time-to-happen events (Paradox-style).
--
-- "A summit is finally scheduled" has a mean time of 200 days; high tension makes
-- it twice as slow, a warm statement makes it faster. The wait is drawn from the
-- run's random stream (rng.exponential), re-drawn each month with the modifiers
-- of the moment.
-- Run: detente run examples/mtth.lua --seed 5
local mtth = require "detente.mtth"
local std = require "detente.moves"
local policies = require "detente.policies"

scenario { title = "MTTH: a summit is finally scheduled", start = "2025-10-29",
           stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
std.install()
policies.init_relations(usa, rus, 0.4, 0.7)

-- Russia's view of the US: tension is mutual, trust is Russia's trust in the US.
local modifiers = {
  { factor = 2, why = "tension above 0.6",
    when = function() return rus:relation(usa, "tension") > 0.6 end },
  { factor = 0.5, why = "trust above 0.5",
    when = function() return rus:relation(usa, "trust") > 0.5 end },
}
local spec = {
  name = "summit_scheduled", mean = days(200), check = days(30), modifiers = modifiers,
  text = "a Trump-Putin summit is finally scheduled",
  fire = function(h) after(days(30), function() log("the summit meets") end) end,
}
local summit = mtth.event(spec)

-- Every two months a warm US statement: Russia's trust rises, tension falls, the
-- summit comes nearer.
every(months(2), function()
  usa:move("public_statement", { tone = "positive", to = rus, text = "talks are going well" })
  log(("trust %.2f, tension %.2f, mean wait now %.0f days"):format(rus:relation(usa, "trust"),
    rus:relation(usa, "tension"), mtth.effective_mean { mean_days = 200, modifiers = modifiers }))
end)

outcome("summit_scheduled", function() return summit.fired > 0 end)
outcome("scheduled_on", function() return summit.fired_at and tostring(summit.fired_at) or nil end)
