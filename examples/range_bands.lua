-- examples/range_bands.lua: counting by range band and basing.
--
-- Systems carry a range (km) and a basing; a counting rule can keep the rows in a
-- band. The INF Treaty banned ground-launched ballistic and cruise missiles of
-- 500-5,500 km range and their launchers (Art. II.5-6, VI). counting.range builds
-- that rule; sea-based missiles of the same range and short-range ones stay out.
-- Run: detente run examples/range_bands.lua
local counting = require "detente.counting"

scenario { title = "Counting by range band", start = "2019-01-01", stop = "2019-03-01" }

local rus = state { id = "RUS", name = "Russia" }
-- Illustrative holdings, not sourced figures.
rus:system { name = "9M729 launchers", category = "GLCM", basing = "ground", range = 2000,
             deployed = 4, missiles_per_launcher = 4, reloads = 8, per_missile = 1 }
rus:system { name = "Iskander-M", category = "SRBM", basing = "ground", range = 480, deployed = 50 }
rus:system { name = "Kalibr", category = "SLCM", basing = "sea", range = 2000, deployed = 40 }

local missiles = counting.define(counting.range(500, 5500, { name = "inf_missiles" }))
local launchers = counting.define(counting.range(500, 5500,
                                                 { name = "inf_launchers", count = "launchers" }))

at("2019-01-23", function()
  note(rus, ("in the INF band: %d missiles (%d loaded + %d reloads) on %d launchers"):format(
    rus:count(missiles), rus:quantity("deployed_missiles", "GLCM"), rus:quantity("reloads", "GLCM"),
    rus:count(launchers)))
  note(rus,
       ("all ground-launched missiles: %d"):format(rus:quantity("missiles", { "GLCM", "SRBM" })))
end)

outcome("inf_missiles", function() return rus:count(missiles) end)
outcome("inf_launchers", function() return rus:count(launchers) end)
