-- examples/multilateral.lua: a proposal to several states, and groups.
--
-- A trilateral offer needs every addressee (or a quorum) to accept; each answers
-- for itself and the proposal closes when the quorum is reached or out of reach.
-- A group (an alliance, the P5) stands for its members in proposals, relations
-- and policies.
-- Run: detente run examples/multilateral.lua
scenario { title = "A trilateral offer", start = "2026-03-01", stop = "2026-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
local chn = state { id = "CHN", name = "China" }
local gbr = state { id = "GBR", name = "United Kingdom" }
local fra = state { id = "FRA", name = "France" }
local p5 = group { id = "P5", name = "Permanent members of the Security Council",
                   members = { usa, rus, chn, gbr, fra } }

decision("join_talks", { options = { "accept", "reject" }, default = "reject" })
policy(p5, "join_talks", { weights = { accept = 1, reject = 1 } })   -- every member, a coin toss
policy(chn, "join_talks", "reject")                                  -- except China

local talks, p5_talks
at("2026-03-15", function()
  talks = usa:propose { to = { rus, chn }, kind = "trilateral_talks", deadline = "2026-09-01" }
  spawn(function()
    for _, s in ipairs(talks.addressees) do
      wait(days(30))
      if talks.pending then talks:respond(s:decide("join_talks"), s) end
    end
  end)
  -- The P5 process: three of the other four must agree.
  p5_talks = usa:propose { to = p5, kind = "p5_risk_reduction", quorum = 3,
                           deadline = "2026-12-01" }
  spawn(function()
    for _, s in ipairs(p5_talks.addressees) do
      wait(days(45))
      if p5_talks.pending then p5_talks:respond(s:decide("join_talks"), s) end
    end
  end)
end)

outcome("trilateral_talks", function() return talks.status end)
outcome("p5_talks", function() return p5_talks.status end)
