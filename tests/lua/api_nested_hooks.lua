-- api_nested_hooks.lua: hooks that run inside other hooks (an emit from a
-- hook runs its on() handlers at once) while the collector runs. A pooled
-- coroutine is anchored by its pool slot while it runs (lrt.c take_thread):
-- a nested hook's coroutine must never take that slot's anchor, or the
-- collector frees the outer hook's coroutine under it.
scenario { title = "api: nested hooks", start = "2026-01-01", stop = "2026-03-01" }

local function churn()
  local t = {}
  for i = 1, 3000 do t[i % 50 + 1] = { i, tostring(i), function() return i end } end
  return t[1][1]
end

local pings, rounds = 0, 0
on("test.ping", function(ev)
  pings = pings + 1
  local mine = { "handler", ev.n }
  churn()
  if ev.n > 0 then emit { kind = "test.ping", data = { n = ev.n - 1 } } end
  churn()
  assert(mine[1] == "handler" and mine[2] == ev.n, "a handler's locals changed")
end)

-- Ordinary hooks first, so the pool holds coroutines when the nesting starts.
for d = 1, 3 do after(d, function() churn() end) end
every(7, function()
  local mine = { "outer", now() }
  for _ = 1, 4 do
    emit { kind = "test.ping", data = { n = 5 } }
    churn()
    assert(mine[1] == "outer" and mine[2] == now(), "the outer hook's locals changed")
  end
  rounds = rounds + 1
end)

outcome("pings", function() return pings end)
outcome("rounds", function() return rounds end)
