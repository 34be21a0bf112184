-- Runs near their memory limit, between runs that leave garbage and grow
-- Lua's bookkeeping: whether a near run stops must depend on that run alone
-- (memory_verdict.sh runs it with --max-memory 16 in mc, 1 and 2 threads, a
-- shard, and `detente run --seed`).
scenario { title = "memory verdict", start = "2026-01-01", stop = "2026-01-05" }
local kind = rng.int(1, 2)
local mib = 14 + rng.int(0, 48) / 16           -- 14 .. 17 MiB of live strings
outcome("kind", function() return kind end)
outcome("mib", function() return mib end)
if kind == 1 then
  -- garbage of every size left behind, the string table grown, a deep stack
  local t = {}
  for i = 1, 50000 do t[i] = "k" .. i end
  local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
  deep(20000)
  local junk
  for i = 1, math.floor(mib) do junk = ("g"):rep(100000 + i) .. ("h"):rep(i) end
  junk = ("j"):rep(math.floor(mib * 30000))
  return
end
keep = {}
for i = 1, math.floor(mib * 1048576 / 25000) do keep[i] = ("x"):rep(24990) .. i end
every(days(1), function()
  local s
  for i = 1, 20 do s = ("y"):rep(50000 + i) end
  local parts = {}
  for i = 1, 10 do parts[i] = ("z"):rep(5000) .. i end
  s = table.concat(parts)
  s = string.format("%s|%s", s, s)
  s = s:gsub("z+", "w")
  keep[#keep + 1] = #s
end)
