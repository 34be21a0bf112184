-- hostile: a __gc finalizer ran with the instruction hook off, so an endless
-- loop in one hung the run (or, in mc, a later run). Finalizers are refused.
-- exit: 1
-- message: setmetatable: __gc is not available in the sandbox (finalizers)
-- seconds: 10
-- rss-mib: 100
scenario { title = "gc budget", start = "2026-01-01", stop = "2026-02-01" }
for i = 1, 100 do
  local junk = {}
  for j = 1, 1000 do junk[j] = { j } end
  setmetatable({}, { __gc = function() while true do end end })
end
