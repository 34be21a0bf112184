-- api_decisions.lua: decisions answered by fixed, weighted and Lua policies,
-- and the declared default when a state has no policy.
scenario { title = "api: decisions", start = "2026-01-01", stop = "2026-12-31" }
local usa, rus, chn = state { id = "USA" }, state { id = "RUS" }, state { id = "CHN" }
decision("answer", { options = { "accept", "reject", "silence" }, default = "silence",
                     doc = "answer an offer" })
policy(usa, "answer", "reject")
policy(rus, "answer", { weights = { accept = 3, reject = 1 } })   -- silence: weight 0
local asked = {}
policy(chn, "answer", function(ctx)
  asked[#asked + 1] = ctx.topic .. ":" .. ctx.state.id .. ":" .. #ctx.options
  return ctx.topic == "arms" and "accept" or "reject"
end)
local counts = { accept = 0, reject = 0, silence = 0 }
spawn(function()
  assert(usa:decide("answer") == "reject", "fixed policy")
  assert(chn:decide("answer", { topic = "arms" }) == "accept", "Lua policy sees its context")
  assert(chn:decide("answer", { topic = "trade" }) == "reject", "Lua policy, other branch")
  for _ = 1, 4000 do local a = rus:decide("answer"); counts[a] = counts[a] + 1 end
  local nobody = state { id = "IND" }
  assert(nobody:decide("answer") == "silence", "no policy: the declared default")
  wait(days(1))
end)
outcome("accept_share", function()
  assert(counts.silence == 0, "zero weight never chosen")
  local share = counts.accept / 4000
  assert(share > 0.72 and share < 0.78, "weighted 3:1 gives ~0.75, got " .. share)
  assert(table.concat(asked, ",") == "arms:CHN:3,trade:CHN:3",
         "policy contexts: " .. table.concat(asked, ","))
  return share
end)
