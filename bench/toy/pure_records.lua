-- The toy negotiation model in plain Lua 5.4, hand-tuned: events are flat
-- records { t, seq, kind, from, to, round } in a binary heap and one loop
-- dispatches on kind. A lower bound for interpreted Lua; `make bench` prints
-- it beside pure.lua (the like-for-like form) for reference.
-- usage: lua5.4 pure_records.lua RUNS   (run i uses seed i; prints the totals)
local DAYS, P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 500, 0.3, 0.5, 0.2, 2
local TICK, PROPOSAL, RESPONSE = 1, 2, 3
local log = math.log

local state
local function next_u()
  state = state + 0x9e3779b97f4a7c15
  local z = state
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  z = z ~ (z >> 31)
  return (z >> 11) * 2.0^-53
end
local function exp(mean) return -mean * log(1 - next_u()) end

-- heap[i] = { t, seq, kind, from, to, round }
local heap, n, seq

local function less(a, b)
  if a[1] ~= b[1] then return a[1] < b[1] end
  return a[2] < b[2]
end

local function push(t, kind, from, to, round)
  seq = seq + 1
  local e = { t, seq, kind, from, to, round }
  n = n + 1
  local i = n
  while i > 1 do
    local p = i // 2
    if not less(e, heap[p]) then break end
    heap[i] = heap[p]
    i = p
  end
  heap[i] = e
end

local function pop()
  local top = heap[1]
  local last = heap[n]
  heap[n] = nil
  n = n - 1
  if n > 0 then
    local i = 1
    while true do
      local c = 2 * i
      if c > n then break end
      if c < n and less(heap[c + 1], heap[c]) then c = c + 1 end
      if not less(heap[c], last) then break end
      heap[i] = heap[c]
      i = c
    end
    heap[i] = last
  end
  return top
end

local T = { 0, 0, 0, 0, 0, 0, 0, 0 }   -- events proposals agreements breakdowns recv0 recv1 agreed0
                                       -- agreed1

local function run(seed)
  state = seed
  heap, n, seq = {}, 0, 0
  local events, proposals, agreements, breakdowns = 0, 0, 0, 0
  local received, agreed = { 0, 0 }, { 0, 0 }
  push(0, TICK, 0, 0, 0)
  while n > 0 do
    local e = pop()
    local t = e[1]
    if t >= DAYS then break end
    events = events + 1
    local kind = e[3]
    if kind == TICK then
      push(t + exp(MEAN_PROP), PROPOSAL, 0, 1, 0)
      push(t + exp(MEAN_PROP), PROPOSAL, 1, 0, 0)
      push(t + 1, TICK, 0, 0, 0)
    elseif kind == PROPOSAL then
      proposals = proposals + 1
      received[e[5] + 1] = received[e[5] + 1] + 1
      push(t + exp(MEAN_RESP), RESPONSE, e[4], e[5], e[6])
    else
      if next_u() < P_ACCEPT then
        agreements = agreements + 1
        agreed[e[4] + 1] = agreed[e[4] + 1] + 1
      elseif e[6] < MAX_ROUNDS then
        push(t + exp(MEAN_PROP), PROPOSAL, e[5], e[4], e[6] + 1)
      else
        breakdowns = breakdowns + 1
      end
    end
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
