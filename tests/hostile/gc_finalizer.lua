-- hostile: a __gc finalizer from run N fired inside run N+1 (it could call
-- stop() there), and ran with the instruction hook off. Finalizers and weak
-- tables are refused by the sandbox.
-- cmd: mc --runs 3 --threads 1
-- exit: 1
-- message: setmetatable: __gc is not available in the sandbox
-- seconds: 10
-- rss-mib: 100
scenario { title = "gc", start = "2026-01-01", stop = "2026-02-01" }
assert(not pcall(setmetatable, {}, { __mode = "k" }), "weak tables are refused")
setmetatable({}, { __gc = function() stop("from an earlier run") end })
