-- What a run sees of addresses and of pairs order must be a function of the
-- run alone (order.sh): each run first makes a random amount of garbage (so
-- earlier runs leave the allocator in another state), then records what
-- tostring, print-style formatting, %p and pairs show.
scenario { title = "order", start = "2026-01-01", stop = "2026-01-03" }
local junk = {}
for i = 1, rng.int(1, 3000) do junk[i % 97] = { i } end
for i = 1, rng.int(1, 300) do junk[i % 13] = function() return i end end
junk = nil
local out = {}
local function see(x) out[#out + 1] = x end
local a, b, f = {}, {}, function() end
see(tostring(a)); see(tostring(b)); see(tostring(f)); see(tostring(a))
see(string.format("%s|%p|%10p|%-12p|%p|%p", a, b, f, "str", 1, nil))
see(tostring(coroutine.create(function() end)))
see(tostring(setmetatable({}, { __name = "Thing" })))
see(tostring(print))
-- pairs over mixed keys: numbers, strings, booleans, objects already shown
local t = { 10, 20, 30, x = 1, y = 2, [2.5] = "h", [-1] = "m", [true] = "t", [false] = "f",
            [a] = "a", [b] = "b", [f] = "f", ["ab"] = 3, ["b"] = 4, ["aa"] = 5 }
for i = 1, 40 do t["k" .. i] = i end
local keys = {}
for k, v in pairs(t) do
  if type(k) == "table" or type(k) == "function" then k = tostring(k) end
  keys[#keys + 1] = tostring(k) .. "=" .. tostring(v)
end
see(table.concat(keys, ","))
-- changing fields during the walk: existing ones, and nil
local u = { p = 1, q = 2, r = 3, s = 4 }
local seen = {}
for k in pairs(u) do
  seen[#seen + 1] = k
  u[k] = nil
  if k == "p" then u.r = nil end
end
see(table.concat(seen, ","))
-- a library and a data view walk in the same order everywhere
local names = {}
for k in pairs(string) do names[#names + 1] = k end
see(table.concat(names, ","))
outcome("seen", function() return table.concat(out, "\n") end)
