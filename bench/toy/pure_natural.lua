-- The toy negotiation model in plain Lua 5.4 (Debian's lua5.4) written the
-- plain way a Lua programmer writes it from the spec (TOY_MODEL.md): a Heap
-- class (binary heap with a comparison function), event records with named
-- fields, a Sim object whose methods handle each kind of event, an Rng
-- object (splitmix64, seed = run index). Nothing is inlined or tuned; this
-- is the baseline the issue's reference pure-Lua figure corresponds to
-- (see bench/toy/README.md). Totals match pure.lua and toy.c exactly.
-- usage: lua5.4 pure_natural.lua RUNS   (run i uses seed i; prints the totals)
local DAYS, P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 500, 0.3, 0.5, 0.2, 2

local Rng = {}
Rng.__index = Rng
function Rng.new(seed) return setmetatable({ state = seed }, Rng) end
function Rng:uniform()
  self.state = self.state + 0x9e3779b97f4a7c15
  local z = self.state
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  z = z ~ (z >> 31)
  return (z >> 11) * 2.0^-53
end
function Rng:exp(mean) return -mean * math.log(1 - self:uniform()) end

local Heap = {}
Heap.__index = Heap
function Heap.new(less) return setmetatable({ items = {}, size = 0, less = less }, Heap) end
function Heap:push(x)
  self.size = self.size + 1
  local items, i = self.items, self.size
  items[i] = x
  while i > 1 do
    local p = i // 2
    if self.less(items[i], items[p]) then
      items[i], items[p] = items[p], items[i]
      i = p
    else break end
  end
end
function Heap:pop()
  local items, n = self.items, self.size
  if n == 0 then return nil end
  local top = items[1]
  items[1] = items[n]; items[n] = nil
  n = n - 1; self.size = n
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= n and self.less(items[l], items[m]) then m = l end
    if r <= n and self.less(items[r], items[m]) then m = r end
    if m == i then break end
    items[i], items[m] = items[m], items[i]
    i = m
  end
  return top
end

local function earlier(a, b)
  if a.time ~= b.time then return a.time < b.time end
  return a.seq < b.seq
end

local Sim = {}
Sim.__index = Sim
function Sim.new(seed)
  return setmetatable({ now = 0, seq = 0, queue = Heap.new(earlier), rng = Rng.new(seed),
    events = 0, proposals = 0, agreements = 0, breakdowns = 0,
    received = { [0] = 0, [1] = 0 }, agreed = { [0] = 0, [1] = 0 } }, Sim)
end
function Sim:schedule(time, kind, from, to, round)
  self.seq = self.seq + 1
  self.queue:push({ time = time, seq = self.seq, kind = kind, from = from, to = to, round = round })
end
function Sim:tick(e)
  for a = 0, 1 do
    self:schedule(e.time + self.rng:exp(MEAN_PROP), "proposal", a, 1 - a, 0)
  end
  self:schedule(e.time + 1, "tick")
end
function Sim:proposal(e)
  self.proposals = self.proposals + 1
  self.received[e.to] = self.received[e.to] + 1
  self:schedule(e.time + self.rng:exp(MEAN_RESP), "response", e.from, e.to, e.round)
end
function Sim:response(e)
  if self.rng:uniform() < P_ACCEPT then
    self.agreements = self.agreements + 1
    self.agreed[e.from] = self.agreed[e.from] + 1
  elseif e.round < MAX_ROUNDS then
    self:schedule(e.time + self.rng:exp(MEAN_PROP), "proposal", e.to, e.from, e.round + 1)
  else
    self.breakdowns = self.breakdowns + 1
  end
end
function Sim:run()
  self:schedule(0, "tick")
  while true do
    local e = self.queue:pop()
    if e == nil or e.time >= DAYS then break end
    self.now = e.time
    self.events = self.events + 1
    self[e.kind](self, e)
  end
end

local T = { 0, 0, 0, 0, 0, 0, 0, 0 }
local runs = tonumber(arg[1]) or 300
for i = 0, runs - 1 do
  local s = Sim.new(i)
  s:run()
  local r = { s.events, s.proposals, s.agreements, s.breakdowns,
              s.received[0], s.received[1], s.agreed[0], s.agreed[1] }
  for k = 1, 8 do T[k] = T[k] + r[k] end
end
print(string.format("totals: events %d proposals %d agreements %d breakdowns %d "
  .. "received %d %d agreed %d %d", T[1], T[2], T[3], T[4], T[5], T[6], T[7], T[8]))
