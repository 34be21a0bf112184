-- The toy negotiation model in plain Lua 5.4 (Debian's lua5.4), written the
-- way the détente forms are: a small Lua-side event engine (a binary heap of
-- { time, seq, fn } ordered by time then insertion) with after(delay, fn)
-- and a daily tick, and one closure per scheduled event. splitmix64 stream
-- per run, as bench/toy/README.md specifies, so totals match toy_c exactly.
-- usage: lua5.4 pure.lua RUNS   (run i uses seed i; prints the totals)
local DAYS, P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 500, 0.3, 0.5, 0.2, 2
local log = math.log

local state
local function uniform()
  state = state + 0x9e3779b97f4a7c15
  local z = state
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  z = z ~ (z >> 31)
  return (z >> 11) * 2.0^-53
end
local function exponential(mean) return -mean * log(1 - uniform()) end

-- The engine: heap[i] = { t, seq, fn }.
local heap, n, seq, now

local function after(delay, fn)
  seq = seq + 1
  local e = { now + delay, seq, fn }
  local t = e[1]
  n = n + 1
  local i = n
  while i > 1 do
    local p = i // 2
    local q = heap[p]
    if q[1] < t or (q[1] == t and q[2] < seq) then break end
    heap[i] = q
    i = p
  end
  heap[i] = e
end

local function pop()
  local top, last = heap[1], heap[n]
  heap[n] = nil
  n = n - 1
  if n > 0 then
    local t, s = last[1], last[2]
    local i = 1
    while true do
      local c = 2 * i
      if c > n then break end
      local a = heap[c]
      if c < n then
        local b = heap[c + 1]
        if b[1] < a[1] or (b[1] == a[1] and b[2] < a[2]) then c = c + 1; a = b end
      end
      if a[1] > t or (a[1] == t and a[2] > s) then break end
      heap[i] = a
      i = c
    end
    heap[i] = last
  end
  return top
end

local T = { 0, 0, 0, 0, 0, 0, 0, 0 }

local function run(seed)
  state = seed
  heap, n, seq, now = {}, 0, 0, 0
  local events, proposals, agreements, breakdowns = 0, 0, 0, 0
  local received, agreed = { 0, 0 }, { 0, 0 }

  local propose
  local function respond(from, to, round)
    events = events + 1
    if uniform() < P_ACCEPT then
      agreements = agreements + 1
      agreed[from + 1] = agreed[from + 1] + 1
    elseif round < MAX_ROUNDS then
      after(exponential(MEAN_PROP), function() propose(to, from, round + 1) end)
    else
      breakdowns = breakdowns + 1
    end
  end
  propose = function(from, to, round)
    events = events + 1
    proposals = proposals + 1
    received[to + 1] = received[to + 1] + 1
    after(exponential(MEAN_RESP), function() respond(from, to, round) end)
  end
  local function tick()
    events = events + 1
    for a = 0, 1 do
      after(exponential(MEAN_PROP), function() propose(a, 1 - a, 0) end)
    end
    after(1, tick)
  end

  after(0, tick)
  while n > 0 do
    local e = pop()
    if e[1] >= DAYS then break end
    now = e[1]
    e[3]()
  end
  local r = { events, proposals, agreements, breakdowns, received[1], received[2], agreed[1],
              agreed[2] }
  for i = 1, 8 do T[i] = T[i] + r[i] end
end

local runs = tonumber(arg[1]) or 300
for i = 0, runs - 1 do run(i) end
print(string.format(
    "totals: events %d proposals %d agreements %d breakdowns %d received %d %d agreed %d %d",
  T[1], T[2], T[3], T[4], T[5], T[6], T[7], T[8]))
