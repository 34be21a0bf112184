-- sandbox_setmetatable.lua: the sandbox's setmetatable installs a private copy
-- of the metatable's metamethods (so __mode or __gc added later cannot make a
-- table weak or finalized); every ordinary use of metatables still works, and
-- getmetatable gives the script's own table back.
scenario { title = "sandbox: setmetatable", start = "2026-01-01", stop = "2026-01-02" }
local C = {}; C.__index = C
function C.new(x) return setmetatable({ x = x }, C) end
function C:get() return self.x end
C.__tostring = function(s) return "C(" .. s.x .. ")" end
C.__eq = function(a, b) return a.x == b.x end
C.__lt = function(a, b) return a.x < b.x end
C.__le = function(a, b) return a.x <= b.x end
C.__add = function(a, b) return C.new(a.x + b.x) end
C.__concat = function(a, b) return tostring(a) .. tostring(b) end
C.__len = function() return 42 end
C.__call = function(s, y) return s.x * y end
C.__unm = function(s) return C.new(-s.x) end
local a, b = C.new(1), C.new(2)
assert(getmetatable(a) == C, "getmetatable gives the script's table")
assert(a:get() == 1 and tostring(a) == "C(1)" and a ~= b and a < b and a <= b)
assert((a + b).x == 3 and #a == 42 and b(5) == 10 and (-b).x == -2 and a .. b == "C(1)C(2)")
assert(C.new(1) == a)
-- methods added to the class later are found (through __index = C)
function C:twice() return 2 * self.x end
assert(b:twice() == 4)
-- a large metatable (a class with many methods) is copied by name
local Big = {}; Big.__index = Big
for i = 1, 40 do Big["m" .. i] = function() return i end end
Big.__tostring = function() return "big" end
local big = setmetatable({}, Big)
assert(big.m40() == 40 and tostring(big) == "big" and getmetatable(big) == Big)
-- __newindex, __pairs, __close
local log = {}
local guarded = setmetatable({}, {
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end })
guarded.z = 1
assert(log[1] == "z" and rawget(guarded, "z") == 1)
local function one(_, k) if not k then return 1, "one" end end
local p = setmetatable({}, { __pairs = function() return one, nil, nil end })
for k, v in pairs(p) do assert(k == 1 and v == "one") end
do local closed = false
   do local _ <close> = setmetatable({}, { __close = function() closed = true end }) end
   assert(closed, "__close ran") end
-- removing and replacing a metatable
assert(setmetatable(a, nil) == a and getmetatable(a) == nil)
local Base = {}; Base.__index = Base; function Base:hello() return "hi" end
local D = setmetatable({}, { __index = Base }); D.__index = D
local d = setmetatable({}, D)
assert(d:hello() == "hi" and getmetatable(d) == D and getmetatable(D).__index == Base)
setmetatable(d, C); assert(getmetatable(d) == C)
-- the script's own protection is honoured
local P = { __metatable = "locked", __index = { z = 9 } }
local locked = setmetatable({}, P)
assert(getmetatable(locked) == "locked" and locked.z == 9)
local ok, err = pcall(setmetatable, locked, {})
assert(not ok and err:find("cannot change a protected metatable"), err)
ok, err = pcall(setmetatable, _G, {})
assert(not ok and err:find("cannot change a protected metatable"), err)
-- argument errors name the function
ok, err = pcall(setmetatable, 1, {})
assert(not ok and err:find("bad argument #1 to 'setmetatable' (table expected, got number)",
                           1, true), err)
ok, err = pcall(setmetatable, {})
assert(not ok and
       err:find("bad argument #2 to 'setmetatable' (nil or table expected, got no value)",
                1, true), err)
-- refused: finalizers and weak tables, at the call and after it
assert(not pcall(setmetatable, {}, { __gc = function() end }))
assert(not pcall(setmetatable, {}, { __mode = "k" }))
local mt = {}
local w = setmetatable({}, mt)
mt.__mode = "k"; mt.__index = function() return "late" end
assert(w.foo == nil, "metamethods added after setmetatable do not apply")
assert(getmetatable(w) == mt)
