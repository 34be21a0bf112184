-- Runs at their memory limit, at 1 KiB steps, between runs that leave deep
-- stacks in the worker's coroutines and nest hooks (memory_boundary.sh):
-- whether a run stops must depend on how much it keeps, not on what ran
-- before it.
scenario { title = "memory boundary", start = "2026-01-01", stop = "2026-01-05" }
param("kindp", dist.uniform(0, 1), "below 0.5: a run of deep calls; else a run near the limit")
param("kibp", dist.uniform(0, 1), "how near: 16100 + 200 * kibp strings of 1 KiB")
local kind = param.kindp < 0.5 and 1 or 2
local kib = 16100 + math.floor(param.kibp * 200)
outcome("kib", function() return kind == 2 and kib or 0 end)
if kind == 1 then
  -- deep calls in a hook's pooled coroutine and in a coroutine of its own,
  -- and hooks nested up to 30 deep (each in a coroutine: the pool grows, and
  -- so does the main thread's stack)
  local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
  after(days(1), function()
    deep(rng.int(1000, 60000))
    local co = coroutine.wrap(function() return deep(rng.int(100, 20000)) end)
    co()
  end)
  local depth, most = 0, rng.int(1, 30)
  on("nest.*", function()
    depth = depth + 1
    if depth < most then emit { kind = "nest.more" } end
  end)
  after(days(2), function() emit { kind = "nest.first" } end)
  return
end
keep = {}
after(days(1), function()
  for i = 1, kib do keep[i] = ("x"):rep(990) .. i end
end)
