-- The toy negotiation model (../../../shared/bench/TOY_MODEL.md, copied into
-- bench/toy/README.md) as an analyst writes it from the guide: a daily every()
-- hook and one after(days(...), function() ... end) hook per proposal and
-- response, with draws from the run's own stream.
scenario { title = "toy negotiation (analyst's form)", start = "2000-01-01", stop = "2001-05-14" }

local P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 0.3, 0.5, 0.2, 2
local events, proposals, agreements, breakdowns = 0, 0, 0, 0
local received, agreed = { 0, 0 }, { 0, 0 }

local propose

local function respond(from, to, round)
  events = events + 1
  if rng.uniform() < P_ACCEPT then
    agreements = agreements + 1
    agreed[from + 1] = agreed[from + 1] + 1
  elseif round < MAX_ROUNDS then
    after(days(rng.exponential(MEAN_PROP)), function() propose(to, from, round + 1) end)
  else
    breakdowns = breakdowns + 1
  end
end

propose = function(from, to, round)
  events = events + 1
  proposals = proposals + 1
  received[to + 1] = received[to + 1] + 1
  after(days(rng.exponential(MEAN_RESP)), function() respond(from, to, round) end)
end

every(days(1), function()
  events = events + 1
  for a = 0, 1 do
    after(days(rng.exponential(MEAN_PROP)), function() propose(a, 1 - a, 0) end)
  end
end, { first = "2000-01-01" })

outcome("events", function() return events end)
outcome("proposals", function() return proposals end)
outcome("agreements", function() return agreements end)
outcome("breakdowns", function() return breakdowns end)
