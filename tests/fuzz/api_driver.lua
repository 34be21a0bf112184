-- api_driver.lua: the Lua-API fuzz harness's scenario. The fuzz input arrives
-- hex-encoded as the param `bytes`; each byte picks a function (or a method
-- of a handle) and its arguments from a pool of values of every kind,
-- handles of the other types included, and results join the pool. Every
-- call is protected: what must never happen is a crash, a sanitizer report
-- or a hang, whatever is called with whatever.
scenario { title = "api fuzz", start = "2026-01-01", stop = "2026-04-01" }
param("bytes", "", "the fuzz input, hex")
local hex = param.bytes
local b, pos = {}, 0
for i = 1, #hex - 1, 2 do b[#b + 1] = tonumber(hex:sub(i, i + 1), 16) or 0 end
local function byte() pos = pos + 1; return b[pos] or 0 end

local A = state { id = "A", name = "A" }
local B = state { id = "B", name = "B" }
local T = treaty { id = "T", parties = { A, B } }
decision("d", { options = { "yes", "no" }, default = "no", timeout = days(3) })
local H = at("2026-02-01", function() end)
local E = every(days(10), function() end)
local pool = { n = 0 }
local function add(v) if pool.n < 96 then pool.n = pool.n + 1; pool[pool.n] = v end end
for _, v in ipairs({ true, false, 0, 1, -1, 0.5, 1e308, -1e308, math.huge, -math.huge,
  math.mininteger, math.maxinteger, "", "A", "B", "T", "d", "x", "yes", "2026-02-01", "*", "%", "(",
  ("a"):rep(200), "%b()", (".-"):rep(6) .. "b", {}, { 1, 2 }, { id = "C" }, { kind = "k" },
  { options = { "a" } }, A, B, T, H, E, date("2026-03-01"), days(1), months(1), years(1),
  seconds(7), function() end, function() error("boom") end, function() return true end,
  coroutine.create(function() end), dist.uniform(0, 1), string, math, rng, param }) do add(v) end
add(0 / 0)
local function arg() local k = byte() % (pool.n + 2); return pool[k] end   -- n+1, n+2: nil

local fns = {
  at, after, every, on, when, spawn, wait, wait_for, emit, log, note, stop, state, states, treaty,
  date, days, months, years, seconds, hours, weeks, now, rng.uniform, rng.int, rng.normal,
  rng.bernoulli, rng.choice, rng.weighted, dist.normal, dist.uniform, decision, policy, move,
  moves, inject, fire, outcome, metric, string.find, string.match, string.gsub, string.gmatch,
  string.rep, string.format, string.sub, string.byte, table.concat, table.sort, table.insert,
  table.unpack, setmetatable, getmetatable, rawset, rawget, rawlen, rawequal, next, pairs, ipairs,
  tostring, tonumber, select, type, pcall, error, coroutine.wrap, coroutine.resume,
  coroutine.status, math.floor, math.random, utf8.char, utf8.len,
}
local methods = {
  "relation", "set_relation", "adjust", "count", "quantity", "system", "systems", "propose",
  "decide", "move", "spawn", "complies", "breaches", "limit", "limits", "binds", "observance",
  "set_observance", "suspend", "resume", "terminate", "expire", "extend", "pledge", "pledged_until",
  "cancel", "accept", "reject", "withdraw", "counter", "respond", "sample", "id", "name", "status",
  "kind", "active", "year", "month", "day", "days", "months", "seconds", "build", "retire",
}

local function step()
  local op = byte()
  if op < 170 then
    local f = fns[op % #fns + 1]
    local r = table.pack(pcall(f, arg(), arg(), arg()))
    if r[1] and r[2] ~= nil then add(r[2]) end
  elseif op < 240 then
    local h, m = arg(), methods[byte() % #methods + 1]
    local r = table.pack(pcall(function()
      local v = h[m]; if type(v) == "function" then return v(arg(), arg(), arg()) end return v
    end))
    if r[1] and r[2] ~= nil then add(r[2]) end
  else
    local a, c = arg(), arg()
    pcall(function() return a + c, a * c, a - c, a .. c, a < c, a == c, #a, -a, tostring(a) end)
  end
end
while pos < #b do step() end
-- Half the input again, from a hook, once the clock runs.
at("2026-01-15", function() pos = #b // 2; while pos < #b do step() end end)
