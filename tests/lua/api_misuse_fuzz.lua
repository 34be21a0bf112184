-- api_misuse_fuzz.lua: calls every scenario function and handle method with
-- many combinations of wrong arguments inside pcall. Each call may raise a Lua
-- error (that is the point) but must never crash or abort the engine; under
-- `make check` AddressSanitizer and UBSan watch every one of them.
scenario { title = "api: misuse", start = "2026-01-01", stop = "2026-12-31" }
local a = state { id = "A" }
local b = state { id = "B" }
metric { name = "w", terms = { { categories = "*", count = "warheads" } } }
local sys = a:system { name = "s", category = "ICBM", deployed = 5, warheads = 5, capacity = 2 }
local t = treaty { id = "t", parties = { a, b }, limits = { { metric = "w", max = 8 } },
                   in_force = "2020-01-01", expires = "2026-06-01" }
decision("d", { options = { "x", "y" } })
local p = a:propose { to = b, kind = "talks" }
local ch = sys:upload(2, { per_day = 1 })
local hook = after(days(1), function() end)

local weird = setmetatable({}, { __index = function() error("boom from __index") end,
                                 __tostring = function() error("boom from __tostring") end })
local pool = {
  nil, true, false, 0, -1, 1.5, 1e308, -1e308, 0/0, math.huge, math.mininteger, math.maxinteger,
  "", "A", "2026-02-30", "2026-02-05", "x", ("z"):rep(5000), {}, { 1, 2, 3 }, { id = "Z" },
  { name = "s2", category = "ICBM" }, { to = b, kind = "k" }, { options = {} }, weird,
  function() end, function() return "y" end, coroutine.create(function() end),
  a, b, sys, t, p, ch, hook, days(1), months(1), date("2026-03-01"), dist.uniform(0, 1),
}
local npool = 39   -- the pool has holes (nil): index it by count, not #pool

local calls, raised = 0, 0
local function try(f, ...)
  calls = calls + 1
  local ok = pcall(f, ...)
  if not ok then raised = raised + 1 end
end

local globals = {
  "date", "seconds", "hours", "days", "weeks", "months", "years", "at", "after", "every", "on",
  "when", "emit", "log", "note", "state", "metric", "treaty", "decision", "policy", "move",
  "inject", "fire", "param", "outcome", "print", "require",
}
local tables = { rng = { "uniform", "int", "normal", "lognormal", "exponential", "poisson", "beta",
                         "gamma", "triangular", "bernoulli", "weighted", "choice" },
                 dist = { "uniform", "normal", "triangular", "bernoulli", "int", "poisson" },
                 data = { "csv", "json" } }
local methods = {
  [a] = { "relation", "set_relation", "adjust", "system", "systems", "count", "quantity", "propose",
          "decide", "move", "spawn" },
  [sys] = { "deploy", "undeploy", "upload", "download", "build", "retire" },
  [t] = { "complies", "breaches", "count", "limit", "limits", "binds", "observance",
          "set_observance",
          "extend", "pledge", "pledged_until" },
  [ch] = { "cancel" },
  [hook] = { "cancel" },
}
local handles = { a, sys, t, ch, hook }

at("2026-01-02", function()
  -- Deterministic sweep: each function with one and with two arguments from the pool.
  for _, name in ipairs(globals) do
    local f = _G[name]
    for i = 1, npool do
      try(f, pool[i])
      for j = 1, npool, 3 do try(f, pool[i], pool[j]) end
    end
  end
  for _, tname in ipairs({ "rng", "dist", "data" }) do
    for _, fname in ipairs(tables[tname]) do
      local f = _G[tname][fname]
      for i = 1, npool do
        try(f, pool[i])
        for j = 1, npool, 2 do try(f, pool[i], pool[j], pool[(i + j) % npool + 1]) end
      end
    end
  end
  for _, h in ipairs(handles) do
    for _, m in ipairs(methods[h]) do
      local f = h[m]
      for i = 1, npool do
        try(f, h, pool[i])
        try(f, pool[i], pool[i])          -- a wrong self
        for j = 1, npool, 4 do try(f, h, pool[i], pool[j]) end
      end
    end
  end
  -- Fields and attributes of every handle with odd keys.
  for _, h in ipairs({ a, sys, t, p, ch }) do
    for i = 1, npool do
      try(function() return h[pool[i]] end)
      try(function() h[pool[i]] = pool[(i % npool) + 1] end)
    end
  end
  -- The proposal last: answering closes it, and every later answer must raise.
  for _, m in ipairs({ "respond", "counter", "accept", "reject", "withdraw" }) do
    for i = 1, npool do try(p[m], p, pool[i]) end
  end
end)

outcome("calls", function()
  assert(calls > 10000, "the sweep ran: " .. calls)
  assert(raised > calls / 3, "most misuse raises: " .. raised .. " of " .. calls)
  return calls
end)

-- Huge counts: refused with a message, never an overflow (UBSan checks).
local big = math.maxinteger
for _, spec in ipairs({
  { name = "h1", category = "ICBM", deployed = big, per_launcher = big },
  { name = "h2", category = "ICBM", deployed = 10, warheads = big },
  { name = "h3", category = "ICBM", deployed = 10, capacity = big },
  { name = "h4", category = "ICBM", nondeployed = big },
}) do
  local ok, err = pcall(a.system, a, spec)
  assert(not ok and err:find("bounded by 10%^12"), "huge counts refused: " .. tostring(err))
end
local h = a:system { name = "h5", category = "ICBM", deployed = 10, nondeployed = 10,
                     warheads = 10 }
for _, op in ipairs({ "deploy", "undeploy", "upload", "download", "build", "retire" }) do
  local ok, err = pcall(h[op], h, big)
  assert(not ok and err:find("above the engine's bound"),
         op .. " of a huge count refused: " .. tostring(err))
  ok = pcall(h[op], h, big, { per_day = 1e300 })
  assert(not ok, op .. " of a huge count at a rate refused")
end
metric { name = "heavy",
         terms = { { categories = "*", count = "warheads", weight = math.maxinteger } } }
assert(a:count("heavy") > 0, "a huge weight counts in floating point without overflow")
