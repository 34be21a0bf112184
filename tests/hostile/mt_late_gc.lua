-- hostile: `__gc` added to a metatable after setmetatable. Lua 5.4 marks an
-- object for finalization only when its metatable has __gc at setmetatable
-- time, so a finalizer added later never runs (in this run or a later one of
-- the worker); the sandbox's copy of the metatable makes sure of it.
-- cmd: mc --runs 3 --threads 1
-- exit: 1
-- message: setmetatable: __gc is not available in the sandbox (finalizers)
-- seconds: 20
-- rss-mib: 200
scenario { title = "late gc", start = "2026-01-01", stop = "2026-02-01" }
assert(not string.i9_fired, "a finalizer of an earlier run left a mark")
local fired = 0
local mt = {}
for i = 1, 1000 do setmetatable({}, mt) end
mt.__gc = function() fired = fired + 1; pcall(function() string.i9_fired = true end);
                     stop("a finalizer ran") end
local keep = setmetatable({}, mt)
local junk
for i = 1, 200000 do junk = { i, tostring(i) } end
assert(fired == 0, "finalizers ran: " .. fired)
keep = nil
setmetatable({}, mt)   -- now it has __gc: refused
