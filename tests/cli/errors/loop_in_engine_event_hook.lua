-- args: --max-instructions 1000000
-- expect-exit: 4
-- expect: loop_in_engine_event_hook.lua:10: instruction limit exceeded
-- expect: while handling treaty.expired
scenario { start = "2026-01-01", stop = "2026-03-01" }
local a, b = state { id = "A" }, state { id = "B" }
metric { name = "w", terms = { { categories = "*", count = "warheads" } } }
treaty { id = "t", parties = { a, b }, limits = { { metric = "w", max = 1 } }, in_force = "2020-01-01", expires = "2026-02-01" }
on("treaty.expired", function()
  while true do end
end)
