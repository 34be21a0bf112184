-- expect-exit: 1
-- expect: syntax_error.lua:4: unexpected symbol near '='
scenario { start = "2026-01-01", stop = "2026-03-01" }
local x = = 1
