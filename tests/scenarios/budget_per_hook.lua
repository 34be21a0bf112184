-- budget_per_hook.lua: the instruction limit is per hook call, not per run:
-- five hooks of nearly a million instructions each (five million in all) run
-- under --max-instructions 2000000, which a per-run budget would refuse.
scenario { title = "Instruction budget per hook", start = "2026-01-01", stop = "2026-01-31" }
local a, b = state { id = "A" }, state { id = "B" }
metric { name = "w", terms = { { categories = "*", count = "warheads" } } }
treaty { id = "t", name = "Test treaty", parties = { a, b }, limits = { { metric = "w", max = 1 } },
         in_force = "2020-01-01", expires = "2026-01-10" }
local function busy()            -- nearly a million VM instructions
  local x = 0
  for i = 1, 240000 do x = x + i % 7 end
  return x
end
every(days(5), function() log("hook on " .. tostring(now()) .. ": " .. busy()) end,
      { last = "2026-01-20" })
on("treaty.expired", function() log("expiry hook: " .. busy()) end)
outcome("done", function() return true end)
