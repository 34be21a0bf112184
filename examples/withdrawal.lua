-- examples/withdrawal.lua: a withdrawal clause, breach events and suspension.
--
-- treaty{ withdrawal_notice = months(6) } gives a treaty a withdrawal clause: a
-- party's notice takes effect six months later, and a treaty left with fewer than
-- two parties terminates. The engine emits treaty.breach by itself when a bound
-- party's count crosses a limit; a hook reacts to it.
-- Run: detente run examples/withdrawal.lua
local counting = require "detente.counting"

scenario { title = "Withdrawal and breach events", start = "2018-10-01", stop = "2019-12-31" }

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
-- Illustrative holdings, not sourced figures.
local gl = rus:system { name = "GLCM", category = "GLCM", basing = "ground", range = 2000,
                        nondeployed = 4, missiles_per_launcher = 4 }

local t = counting.treaty {
  id = "ban", name = "Range ban", parties = { usa, rus }, in_force = "1988-06-01",
  withdrawal_notice = months(6),
  limits = { { rule = counting.range(500, 5500, { name = "banned_missiles" }), max = 0 } },
}

on("treaty.breach", function(ev)
  note(usa, ("Washington protests: %s holds %d %s"):format(ev.by.id, ev.value, ev.metric))
  after(days(60), function()
    if t:in_breach(rus) then t:give_notice(usa, "material breach not cured") end
  end)
end)
on("treaty.notice", function(ev)
  t:suspend(ev.by, "obligations suspended during the notice period")
end)

at("2018-12-04", function() gl:deploy(4) end)      -- 16 banned missiles deployed

outcome("status", function() return t.status end)
outcome("usa_observance", function() return t:observance(usa) end)
