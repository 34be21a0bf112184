-- hostile: an `every` hook carried a raw C pointer to its state that outlived
-- its run (a use after free under ASan in mc). Its state is owned by the run
-- now; a cancelled or finished hook stays a harmless, read-only handle. Many
-- runs in one worker, hooks cancelled from inside themselves and re-made.
-- cmd: mc --runs 30 --threads 2
-- exit: 1
-- message: a hook is the engine's and cannot be changed
-- seconds: 20
-- rss-mib: 150
scenario { title = "every", start = "2026-01-01", stop = "2026-04-01" }
local hooks, n = {}, 0
local function make(k)
  local h
  h = every(days(k), function()
    n = n + 1
    if n % 3 == 0 then h:cancel(); h:cancel(); hooks[#hooks + 1] = make(k + 1) end
  end)
  return h
end
for k = 1, 5 do hooks[#hooks + 1] = make(k) end
at("2026-03-31", function()
  for _, h in ipairs(hooks) do
    assert(h.kind == "every" and type(h.active) == "boolean")
    assert(not pcall(function() return h.every end), "no pointer is visible")
  end
  hooks[1].every = 0
end)
