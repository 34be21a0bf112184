-- sandbox_table.lua: the sandbox's own table.insert and table.remove (which
-- charge each shift against the instruction budget: tests/hostile/
-- c_loops_len.lua) give Lua 5.4's results and messages, and call __len,
-- __index and __newindex as Lua's do, in the same order.
scenario { title = "table.insert/remove", start = "2026-01-01", stop = "2026-01-02" }
local function same(t, want)
  for i = 0, 5 do assert(t[i] == want[i], ("[%d] = %s, want %s"):format(i, t[i], want[i])) end
end
local function fails(want, f, ...)
  local args = table.pack(...)
  local ok, e = pcall(function() return f(table.unpack(args, 1, args.n)) end)
  e = tostring(e):gsub(" to '[%w.?]+'", "")   -- called through a local: its name is 'f'
  assert(not ok and e:find(want, 1, true), ("wanted '%s', got %s"):format(want, e))
end
local t = { 1, 2, 3 }
table.insert(t, 4); same(t, { 1, 2, 3, 4 })
t = { 1, 2, 3 }; table.insert(t, 1, 0); same(t, { 0, 1, 2, 3 })
t = { 1, 2, 3 }; table.insert(t, 4, 9); same(t, { 1, 2, 3, 9 })
fails("bad argument #2 (position out of bounds)", table.insert, { 1, 2, 3 }, 5, 9)
fails("bad argument #2 (position out of bounds)", table.insert, { 1, 2, 3 }, 0, 9)
fails("wrong number of arguments", table.insert, { 1 }, 1, 2, 3)
fails("wrong number of arguments", table.insert, { 1 })
fails("bad argument #1 (table expected, got nil)", table.insert, nil, 1)
fails("bad argument #2 (number has no integer representation)", table.insert,
      { 1 }, 1.5, 1)
t = { 1, 2, 3 }; assert(table.remove(t) == 3); same(t, { 1, 2 })
t = { 1, 2, 3 }; assert(table.remove(t, 1) == 1); same(t, { 2, 3 })
t = { 1, 2, 3 }; assert(table.remove(t, 4) == nil); same(t, { 1, 2, 3 })
t = { [0] = "z" }; assert(table.remove(t, 0) == "z" and t[0] == nil)
assert(table.remove({}) == nil)
fails("bad argument #1 (position out of bounds)", table.remove, { 1, 2, 3 }, 5)
fails("bad argument #1 (position out of bounds)", table.remove, {}, -1)
fails("bad argument #1 (table expected, got nil)", table.remove, nil)
-- metamethods: the same calls in the same order as Lua's
local log = {}
local function proxy(n)
  return setmetatable({}, {
    __len = function() log[#log + 1] = "len"; return n end,
    __index = function(_, k) log[#log + 1] = "get" .. k; return k end,
    __newindex = function(_, k, v) log[#log + 1] = "set" .. k .. "=" .. tostring(v) end })
end
table.insert(proxy(2), 1, "v")
assert(table.concat(log, " ") == "len get2 set3=2 get1 set2=1 set1=v", table.concat(log, " "))
log = {}
assert(table.remove(proxy(3), 1) == 1)
assert(table.concat(log, " ") == "len get1 get2 set1=2 get3 set2=3 set3=nil",
       table.concat(log, " "))
fails("object length is not an integer", table.insert,
      setmetatable({}, { __len = function() return "x" end }), 1)
-- sort still sorts (and takes its comparator)
t = { 5, 3, 1, 4 }; table.sort(t); same(t, { 1, 3, 4, 5 })
table.sort(t, function(a, b) return a > b end); same(t, { 5, 4, 3, 1 })
fails("attempt to compare", table.sort, { 1, "x" })
fails("cannot modify the shared library table", table.insert, string, 1)
