-- examples/decisions_policies.lua: a decision answered by a policy.
--
-- The code that asks (`usa:decide`) does not know who answers: in `run` and `mc`
-- the policy below does; in `serve` a human team holding the US seat would.
-- Run: detente run examples/decisions_policies.lua --seed 3
local std = require "detente.moves"
local policies = require "detente.policies"

scenario { title = "Decisions and policies", start = "2025-09-22", stop = "2026-03-01" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
local t = treaty { id = "pact", name = "Pact", parties = { usa, rus },
                   in_force = "2021-02-05", expires = "2026-02-05" }
std.install()                      -- offer_extension, answer_offer, public_statement, ...
policies.declare_standard()        -- decisions answer_offer, react_to_test, answer_summit
policies.init_relations(usa, rus, 0.4, 0.5)

-- A stochastic policy: weights shift with the US's trust in Russia and the tension.
policy(usa, "answer_offer", policies.answer_offer { accept = 0.4, reject = 0.2, silence = 0.4 })
-- A declarative policy, evaluated in C: fixed weights.
policy(rus, "react_to_test", { weights = { ignore = 0.2, protest = 0.7, reciprocate = 0.1 } })

at("2025-09-22", function()
  local offer = rus:move("offer_extension",
                         { to = usa, treaty = t, years = 1, deadline = "2026-02-05" })
  -- Washington looks at the offer every 30 days until it answers or the offer lapses.
  spawn(function()
    while offer.status == "pending" do
      wait(days(30))
      if offer.status ~= "pending" then break end
      local answer = usa:decide("answer_offer", { proposal = offer })
      usa:move("answer_offer", { proposal = offer, answer = answer })
    end
  end)
end)

at("2025-11-01", function()
  usa:move("weapon_test", { system = "Minuteman III", text = "USA test-launches a Minuteman III" })
  local r = rus:decide("react_to_test", { other = usa })
  if r == "protest" then
    rus:move("public_statement", { tone = "negative", to = usa, text = "protests the launch" })
  end
end)

outcome("answer", function() return treaty("pact"):pledged_until(usa) and "deal" or "no deal" end)
