-- tests/scenarios/stdlib_upload_race.lua: New START forces, the expiry, a US upload
-- answered by a Russian one, then an informal understanding that brings both back
-- under 1,550. Golden output: stdlib_upload_race.expected.
local nst = require "detente.treaties.new_start"
local std = require "detente.moves"
local counting = require "detente.counting"

scenario { title = "stdlib: upload race and understanding", start = "2026-01-15",
           stop = "2027-02-05" }

local usa, rus = nst.parties()
local t = nst.treaty()
std.install()
local race   -- Russia's answering upload (a Change handle)

on("treaty.expired", function()
  usa:move("upload", { system = "Trident II D5", n = 300, per_month = 50,
                       why = "Washington starts uploading Trident II" })
end)
when(function() return t:count(usa, "deployed_warheads") > 1550 end, function()
  after(days(30), function()
    race = rus:move("upload",
                    { system = "ICBM force", n = 200, per_month = 40, why = "Moscow answers" })
  end)
end)
at("2026-09-01", function()
  local p = rus:move("offer_extension",
                     { to = usa, treaty = t, months = 5, deadline = "2026-10-01" })
  after(days(14), function()
    usa:move("answer_offer", { proposal = p, answer = "accept", why = "stop the race" })
    if race and race.active then race:cancel() end
    usa:move("download", { system = "Trident II D5", n = t:count(usa, "deployed_warheads") - 1550,
                           per_month = 100 })
    rus:move("download", { system = "ICBM force", n = t:count(rus, "deployed_warheads") - 1550,
                           per_month = 100 })
  end)
end)
every(months(3), function()
  log("USA " .. counting.summary(t, usa))
  log("RUS " .. counting.summary(t, rus))
end, { first = "2026-02-05" })

outcome("usa_warheads", function() return t:count(usa, "deployed_warheads") end)
outcome("rus_warheads", function() return t:count(rus, "deployed_warheads") end)
outcome("pledged_until", function() return tostring(t:pledged_until(usa)) end)
