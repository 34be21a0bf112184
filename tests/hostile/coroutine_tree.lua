-- hostile: a tree of coroutines, each running fewer instructions than one step
-- of the count hook: each new coroutine used to start with a fresh count, so
-- the tree ran past the limit. Creating one now charges a step up front.
-- args: --max-instructions 1000000
-- exit: 4
-- message: instruction limit exceeded
-- seconds: 10
-- rss-mib: 150
scenario { title = "tree", start = "2026-01-01", stop = "2026-02-01" }
local function grow(depth)
  local x = 0
  for i = 1, 150 do x = x + i end   -- ~600 instructions, under one step
  if depth < 40 then
    coroutine.wrap(grow)(depth + 1)
    coroutine.wrap(grow)(depth + 1)
  end
end
grow(0)
