-- isolation_mod.lua: a module with state at module level; each run must get
-- a fresh copy.
local M = { calls = 0 }
function M.bump() M.calls = M.calls + 1; return M.calls end
return M
