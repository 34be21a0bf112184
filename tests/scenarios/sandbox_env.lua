-- sandbox_env.lua: the environment a scenario sees, as a sorted list of every
-- name it can reach and its kind. The golden (sandbox_env.expected) is the
-- allow-list: a name added to or removed from the sandbox shows in its diff.
-- A script cannot enumerate the protected base environment, so the list is
-- what `pairs` shows (of _ENV and of every table or read-only proxy reached,
-- recursively) together with probes of every name Lua 5.4's standard
-- libraries define and of the engine's API: adding os.execute, load or
-- string.dump to the sandbox changes the golden.
scenario { title = "sandbox: the visible environment", start = "2026-01-01", stop = "2026-01-02" }

local lua_std = {
  [""] = { "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
           "loadfile",
           "loadstring", "module", "next", "pairs", "pcall", "print", "rawequal", "rawget",
           "rawlen", "rawset",
           "require", "select", "setfenv", "getfenv", "setmetatable", "tonumber", "tostring",
           "type",
           "unpack", "warn", "xpcall", "_G", "_VERSION", "_ENV",
           "coroutine", "debug", "io", "math", "os", "package", "string", "table", "utf8", "bit32",
           "jit", "ffi",
           -- the engine's API
           "scenario", "param", "outcome", "at", "after", "every", "on", "when", "spawn", "wait",
           "wait_for",
           "now", "date", "days", "weeks", "months", "years", "hours", "seconds", "state", "states",
           "treaty", "metric", "decision", "policy", "move", "moves", "inject", "fire", "emit",
           "note",
           "log", "stop", "rng", "dist", "data", "series", "system", "proposal", "detente" },
  coroutine = { "close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield" },
  debug = { "debug", "gethook", "getinfo", "getlocal", "getmetatable", "getregistry", "getupvalue",
            "getuservalue", "sethook", "setlocal", "setmetatable", "setupvalue", "setuservalue",
            "traceback", "upvalueid", "upvaluejoin", "setcstacklimit" },
  io = { "close", "flush", "input", "lines", "open", "output", "popen", "read", "stderr", "stdin",
         "stdout", "tmpfile", "type", "write" },
  math = { "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge",
           "log",
           "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed",
           "sin",
           "sqrt", "tan", "tointeger", "type", "ult", "pow", "ldexp", "frexp", "log10", "cosh",
           "sinh", "tanh" },
  os = { "clock", "date", "difftime", "execute", "exit", "getenv", "remove", "rename", "setlocale",
         "time", "tmpname" },
  package = { "config", "cpath", "loaded", "loadlib", "path", "preload", "searchers",
              "searchpath" },
  string = { "byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower", "match",
             "pack",
             "packsize", "rep", "reverse", "sub", "unpack", "upper" },
  table = { "concat", "insert", "move", "pack", "remove", "sort", "unpack", "maxn", "getn" },
  utf8 = { "char", "charpattern", "codepoint", "codes", "len", "offset" },
}

local function kind(v)
  local t = type(v)
  if t == "userdata" and pcall(pairs, v) then return "table" end   -- a read-only proxy
  return t
end

local found = {}
local function visit(name, v, depth, seen)
  if v == nil or found[name] then return end
  local k = kind(v)
  found[name] = k
  if k ~= "table" or depth > 3 or seen[v] then return end
  seen[v] = true
  local names = {}
  local ok = pcall(function() for key in pairs(v) do names[#names + 1] = key end end)
  if not ok then found[name] = "table (pairs raises)" end
  local probe = lua_std[name] or {}
  for _, key in ipairs(probe) do names[#names + 1] = key end
  for _, key in ipairs(names) do
    if type(key) == "string" then
      local okv, val = pcall(function() return v[key] end)
      if okv then visit(name .. "." .. key, val, depth + 1, seen) end
    end
  end
end

visit("_ENV", _ENV, 0, {})
for _, key in ipairs(lua_std[""]) do visit(key, _ENV[key], 1, { [_ENV] = true }) end

local names = {}
for name in pairs(found) do names[#names + 1] = name end
table.sort(names)
local lines = {}
for _, name in ipairs(names) do lines[#lines + 1] = name .. ": " .. found[name] end
-- metatables a script might reach
local function mt(v) local m = getmetatable(v);
return type(m) == "table" and "a table" or tostring(m) end
lines[#lines + 1] = "getmetatable(\"\"): " .. mt("")
lines[#lines + 1] = "getmetatable(_ENV): " .. mt(_ENV)
lines[#lines + 1] = "getmetatable(now()): " .. mt(now())
lines[#lines + 1] = "getmetatable(days(1)): " .. mt(days(1))
print(table.concat(lines, "\n"))
