-- args: --max-instructions 1000000
-- expect-exit: 4
-- expect: endless_loop.lua:6: instruction limit exceeded: one hook ran more than 1000000 instructions
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-01-02", function()
  while true do end
end)
