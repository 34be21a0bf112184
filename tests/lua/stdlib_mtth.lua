-- tests/lua/stdlib_mtth.lua: mean-time-to-happen events fire after an
-- exponential wait with the right mean, modifiers scale it, cancel stops them.
scenario { title = "stdlib: MTTH", start = "2030-01-01", stop = "2040-01-01" }
local mtth = require "detente.mtth"

local N = 400
local plain, halved = {}, {}
local start = now()
for i = 1, N do
  plain[i] = mtth.event { name = "plain", mean_days = 100, text = "plain event" }
  halved[i] = mtth.event { name = "halved", mean = days(100),
    modifiers = { { factor = 0.5, why = "always", when = function() return true end },
                  { factor = 10, why = "never", when = function() return false end } } }
end
local c = mtth.event { name = "cancelled", mean_days = 1 }
c:cancel()
local rep = mtth.event { name = "repeating", mean_days = 30, repeats = true,
                         ["until"] = "2031-01-01" }

local function mean_delay(list)
  local s, n = 0, 0
  for i = 1, #list do
    if list[i].fired_at then s = s + (list[i].fired_at - start); n = n + 1 end
  end
  return s / n, n
end

if math.abs(mtth.chance_within(100, 100) - (1 - math.exp(-1))) > 1e-12 then
  error("chance_within")
end
local ok = pcall(mtth.event, { name = "bad", mean_days = 0 })
if ok then error("a zero mean must be refused") end

local ran = {}
at("2039-12-31", function()
  local m1, n1 = mean_delay(plain)
  local m2, n2 = mean_delay(halved)
  if n1 ~= N or n2 ~= N then error("every event should have fired once") end
  -- Standard error of the mean of 400 exponentials is mean/20: allow 3.5 of them.
  if math.abs(m1 - 100) > 17.5 then error(("plain mean %.1f, want about 100"):format(m1)) end
  if math.abs(m2 - 50) > 8.75 then error(("halved mean %.1f, want about 50"):format(m2)) end
  if c.fired ~= 0 then error("a cancelled event fired") end
  if rep.fired < 6 or rep.fired > 24 then
    error("repeating event fired " .. rep.fired .. " times in a year (mean 30 days)")
  end
  if plain[1].fired ~= 1 then error("a non-repeating event fires once") end
  log(("stdlib_mtth: all checks passed (means %.1f and %.1f days)"):format(m1, m2))
  ran[#ran + 1] = "2039-12-31"
end)

-- The checks above run inside hooks: make sure every one of them ran.
outcome("hooks_ran", function()
  local want = "2039-12-31"
  assert(table.concat(ran, ",") == want,
         "hooks that ran: " .. table.concat(ran, ",") .. "; want " .. want)
  return #ran
end)
