-- expect-exit: 1
-- expect: the script never called scenario{ start = ..., stop = ... }
local x = 1
