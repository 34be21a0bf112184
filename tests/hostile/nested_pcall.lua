-- hostile: the limit raised inside the count hook ran xpcall's message handler
-- with hooks off; a handler that loops forever hung the run. Nested pcalls
-- around it must not swallow the limit either.
-- args: --max-instructions 1000000
-- exit: 4
-- message: instruction limit exceeded
-- seconds: 10
-- rss-mib: 100
scenario { title = "pcall", start = "2026-01-01", stop = "2026-02-01" }
local function spin() while true do end end
for _ = 1, 100 do
  pcall(pcall, xpcall, spin, function() while true do end end)
  pcall(xpcall, spin, spin)
end
