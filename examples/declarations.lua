-- examples/declarations.lua: declared versus actual holdings, and inspections.
--
-- A party declares its numbers (a data exchange); its real arsenal may differ.
-- An inspection compares the declaration with the truth and finds a discrepancy
-- with the probability the scenario gives. Outcomes read both numbers.
-- Run: detente run examples/declarations.lua
local counting = require "detente.counting"

scenario { title = "Declarations and inspections", start = "2026-03-01", stop = "2026-12-31" }
param("p_detect", 0.6, { doc = "chance an inspection finds a false declaration", min = 0, max = 1 })

local a = state { id = "A" }
local b = state { id = "B" }
-- Illustrative holdings, not sourced figures: B holds 40 more warheads than it will declare.
a:system { name = "ICBM-A", category = "ICBM", deployed = 100, warheads = 300, capacity = 3 }
b:system { name = "ICBM-B", category = "ICBM", deployed = 100, warheads = 340, capacity = 4 }

local w = counting.define(counting.simple("warheads", { "ICBM" }, "warheads"))
local t = treaty { id = "t", name = "Treaty", parties = { a, b }, in_force = "2020-01-01",
                   limits = { { metric = w, max = 350 } } }

at("2026-03-01", function()
  t:declare(a, { warheads = 300 })
  t:declare(b, { warheads = 300 })        -- 40 short of the truth
end)
-- Four inspections a year of B by A, until one finds the discrepancy.
every(months(3), function()
  if t:inspect(b, { by = a, p_detect = param.p_detect }) then
    note(a, "A accuses B of a false declaration")
    stop()
  end
end)

outcome("b_declared", function() return t:declared(b, w) end)
outcome("b_actual", function() return t:count(b, w) end)
