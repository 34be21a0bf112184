-- mc_lazy_limit.lua (tests/cli/mc_lazy_limit.sh): mc enforces the instruction
-- limit lazily (lrt.c). Each run does a long but legal computation in one hook
-- (longer than the lazy timer's tick, so the run is run again with the exact
-- count); some runs then loop in a script coroutine or in the hook itself.
scenario { title = "mc lazy limit", start = "2026-01-01", stop = "2026-03-01" }
param("mode", 0, "0: fine, 1: loop in a coroutine, 2: loop in the hook")
param("n", 60000000, "iterations of the long computation")
local sum = 0
at("2026-01-10", function()
  local s = 0
  for i = 1, param.n do s = s + i % 7 end   -- ~0.3 s: longer than two ticks
  sum = s + rng.int(1, 6)
end)
at("2026-02-01", function()
  if param.mode == 1 then
    local co = coroutine.wrap(function() while true do end end)
    co()
  elseif param.mode == 2 then
    while true do end
  end
end)
outcome("sum", function() return sum end)
