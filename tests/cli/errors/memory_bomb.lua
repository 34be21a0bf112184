-- args: --max-memory 16
-- expect-exit: 4
-- expect: memory_bomb.lua:6: memory limit exceeded: the run took more than 16 MiB
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-01-02", function()
  local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end
end)
