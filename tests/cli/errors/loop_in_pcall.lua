-- args: --max-instructions 1000000
-- expect-exit: 4
-- expect: instruction limit exceeded
scenario { start = "2026-01-01", stop = "2026-03-01" }
at("2026-01-02", function()
  for i = 1, 100 do pcall(function() while true do end end) end
end)
