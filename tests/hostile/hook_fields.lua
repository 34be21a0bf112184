-- hostile: hook objects whose fields the engine trusted: h.pattern = {} crashed
-- (strlen(NULL)), h.qid = n cancelled someone else's event, h.every leaked a raw
-- C pointer. Hook state now lives in C; the fields are read-only views.
-- exit: 1
-- message: a hook is the engine's and cannot be changed
-- seconds: 10
-- rss-mib: 100
scenario { title = "hooks", start = "2026-01-01", stop = "2026-03-01" }
local fired = 0
local victim = at("2026-01-20", function() fired = fired + 1 end)
local h = on("*", function() end)
local e = every(days(7), function() end)
assert(h.kind == "on" and h.active == true, "read-only views work")
for _, k in ipairs({ "every", "qid", "pattern" }) do   -- an unknown field raises (issue 13)
  assert(not pcall(function() return e[k] end) and not pcall(function() return h[k] end),
         "no internals are visible")
end
assert(not pcall(function() h.pattern = {} end), "pattern cannot be set")
assert(not pcall(function() e.qid = 1 end), "qid cannot be set")
assert(not pcall(rawset, h, "qid", 1), "rawset on a hook raises")
at("2026-02-01", function()
  assert(fired == 1, "the victim's event still fired")
  assert(victim.active ~= nil)
  h.pattern = {}
end)
