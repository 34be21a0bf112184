-- The toy negotiation model in détente's fast form (docs/guide.md,
-- "Performance"): after(d, fn, ...) hands the arguments to fn instead of
-- building a closure per event, and a plain number is a duration in days.
scenario { title = "toy negotiation (fast form)", start = "2000-01-01", stop = "2001-05-14" }

local P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 0.3, 0.5, 0.2, 2
local events, proposals, agreements, breakdowns = 0, 0, 0, 0
local received, agreed = { 0, 0 }, { 0, 0 }
local uniform, exponential = rng.uniform, rng.exponential

local propose

local function respond(from, to, round)
  events = events + 1
  if uniform() < P_ACCEPT then
    agreements = agreements + 1
    agreed[from + 1] = agreed[from + 1] + 1
  elseif round < MAX_ROUNDS then
    after(exponential(MEAN_PROP), propose, to, from, round + 1)
  else
    breakdowns = breakdowns + 1
  end
end

propose = function(from, to, round)
  events = events + 1
  proposals = proposals + 1
  received[to + 1] = received[to + 1] + 1
  after(exponential(MEAN_RESP), respond, from, to, round)
end

every(1, function()
  events = events + 1
  after(exponential(MEAN_PROP), propose, 0, 1, 0)
  after(exponential(MEAN_PROP), propose, 1, 0, 0)
end, { first = "2000-01-01" })

outcome("events", function() return events end)
outcome("proposals", function() return proposals end)
outcome("agreements", function() return agreements end)
outcome("breakdowns", function() return breakdowns end)
