-- hostile: pairs/next/rawget/rawequal/rawlen on the read-only library proxies
-- (and the data views, param, the string metatable, the environment's
-- metatable) must never hand out the shared table behind them: pairs(string)
-- used to return `next, <the shared table>`, and writing into that table
-- changed string.* for every later run of the worker. Each run checks that no
-- earlier run left a mark; the last line is the attack itself, refused.
-- cmd: mc --runs 3 --threads 1
-- setup: printf 'id,n\nx,1\ny,2\n' > d.csv && printf '{"a": {"b": [1, 2]}}' > d.json
-- exit: 1
-- message: cannot modify the shared library table (field 'rep')
-- seconds: 10
-- rss-mib: 100
scenario { title = "proxy pairs", start = "2026-01-01", stop = "2026-02-01" }
local rows = data.csv("d.csv")
local doc = data.json("d.json")
local libs = {
  string = string, math = math, table = table, utf8 = utf8, coroutine = coroutine,
  os = os, debug = debug, rng = rng, dist = dist, data = data,
  rows = rows, row = rows[1], doc = doc, doc_a = doc.a, doc_b = doc.a.b,
}
for name, lib in pairs(libs) do
  assert(lib.i9_mark == nil, name .. ": an earlier run left a mark")
  assert(type(lib) == "userdata", name .. " is a " .. type(lib))
  local f, s, k = pairs(lib)
  assert(type(s) ~= "table", name .. ": pairs handed out a " .. type(s))
  assert(rawequal(s, lib), name .. ": pairs' state is not the proxy itself")
  for key, v in f, s, k do
    assert(type(v) ~= "table", name .. "." .. tostring(key) .. " is a plain table")
  end
  -- the iterator called on a table of the script's walks the library, not the table
  local mine = {}
  local key = f(mine, nil)
  assert(key == nil or mine[key] == nil, name .. ": the iterator read the script's table")
  assert(not pcall(next, lib), name .. ": next accepted the proxy")
  assert(not pcall(rawget, lib, "x"), name .. ": rawget accepted the proxy")
  assert(not pcall(rawset, lib, "i9_mark", 1), name .. ": rawset accepted the proxy")
  assert(not pcall(rawlen, lib), name .. ": rawlen accepted the proxy")
  assert(rawequal(lib, lib) and not rawequal(lib, {}), name .. ": rawequal")
  assert(not pcall(function() lib.i9_mark = 1 end), name .. ": assignment accepted")
  assert(getmetatable(lib) == false, name .. ": its metatable is reachable")
end
-- param: callable and indexable, not walkable
local _, ps = pairs(param)
assert(rawequal(ps, param) and not pcall(next, param) and not pcall(rawget, param, "x"))
assert(not pcall(function() param.i9_mark = 1 end))
-- the base environment and the string metatable stay hidden
assert(getmetatable(_G) == false and getmetatable("") == false)
for k in pairs(_G) do assert(k ~= "i9_mark", "a global from an earlier run") end
assert(_G.i9_mark == nil)
i9_mark = 1   -- this run's own environment: gone with the run
-- ("").rep reaches the proxy, not the shared table
local f, s = pairs(("").rep and string)
assert(("x"):rep(2) == "xx")
s.rep = function() return "evil" end
