-- tests/lua/api_move_args.lua: moves and injects declare their arguments
-- (args = {...}); state:move and fire check and convert them: ids become
-- handles, "5d" / "6 months" durations, defaults are filled in, and a missing,
-- unknown or out-of-range argument is refused with a reason naming it.
scenario { title = "api: declared move arguments", start = "2026-01-01", stop = "2026-12-31" }

local function eq(got, want, what)
  if got ~= want then
    error(("%s: got %s, want %s"):format(what, tostring(got), tostring(want)), 2)
  end
end
local function refused(ok, why, needle, what)
  if what == nil then error("refused: pass the call last, not first", 2) end
  if ok then error(what .. ": the move was allowed", 2) end
  if not tostring(why):find(needle, 1, true) then
    error(what .. ": reason '" .. tostring(why) .. "' lacks '" .. needle .. "'", 2)
  end
end

local function no(needle, what, ok, why) refused(ok, why, needle, what) end

local usa = state { id = "USA", name = "United States" }
local rus = state { id = "RUS", name = "Russia" }
usa:system { name = "Minuteman III", category = "ICBM", deployed = 400 }
local t = treaty { id = "nst", name = "New START", parties = { usa, rus }, in_force = "2011-02-05",
                   expires = "2026-02-05", limits = {} }

local got
move("offer", {
  doc = "test move",
  args = {
    { name = "to", type = "state", required = true, doc = "who" },
    { name = "treaty", type = "treaty", required = true },
    { name = "span", type = "duration", default = "1 year" },
    { name = "years", type = "number", min = 1, max = 5, integer = true, default = 1 },
    { name = "tone", type = "choice", options = { "warm", "cold" }, default = "warm" },
    { name = "text", type = "text" },
    { name = "public", type = "boolean", default = true },
    { name = "conditions", type = "list" },
    { name = "system", type = "system" },
    { name = "deadline", type = "date" },
  },
  apply = function(s, a) got = a end,
})


at("2026-01-02", function()
  -- ids and texts, as a person sends them
  eq(usa:move("offer", { to = "RUS", treaty = "nst", span = "6 months", years = "2", text = "hello",
                         conditions = "verification", system = "Minuteman III",
                         deadline = "2026-03-01",
                         public = "no" }), true, "a move by ids")
  eq(got.to, rus, "to became the State")
  eq(got.treaty.id, "nst", "treaty became the Treaty")
  eq(tostring(got.span), tostring(months(6)), "6 months became a duration")
  eq(got.years, 2, "a number given as text")
  eq(math.type(got.years), "integer", "an integer stays one")
  eq(got.tone, "warm", "the default of a choice")
  eq(got.public, false, "no became false")
  eq(got.conditions[1], "verification", "one text became a list")
  eq(tostring(got.deadline), "2026-03-01", "a date")
  -- handles, as a script passes them, and defaults
  eq(usa:move("offer", { to = rus, treaty = t }), true, "a move by handles")
  eq(tostring(got.span), tostring(years(1)), "the default duration")
  eq(got.years, 1, "the default number")
  eq(got.text, nil, "an optional argument left out stays nil")
  -- refusals name the argument
  no("to is required", "a required argument", usa:move("offer", { treaty = "nst" }))
  -- a misspelt required argument is named as unknown, not reported as missing
  no("unknown argument 'too'", "a misspelt required argument",
     usa:move("offer", { too = "RUS", treaty = "nst" }))
  no("to: no state 'XXX'", "an unknown state", usa:move("offer", { to = "XXX", treaty = "nst" }))
  no("treaty: no treaty 'abm'", "an unknown treaty",
     usa:move("offer", { to = "RUS", treaty = "abm" }))
  no("years must be at most 5", "a range",
     usa:move("offer", { to = "RUS", treaty = "nst", years = 9 }))
  no("years must be a whole number", "an integer",
     usa:move("offer", { to = "RUS", treaty = "nst", years = 1.5 }))
  no("tone: 'hot' is not one of warm, cold", "a choice",
     usa:move("offer", { to = "RUS", treaty = "nst", tone = "hot" }))
  no("span: 'soon' is not a duration", "a duration",
     usa:move("offer", { to = "RUS", treaty = "nst", span = "soon" }))
  no("USA has no system 'Trident'", "a system",
     usa:move("offer", { to = "RUS", treaty = "nst", system = "Trident" }))
  no("unknown argument 'colour'", "an unknown argument",
     usa:move("offer", { to = "RUS", treaty = "nst", colour = "red" }))
  -- injects declare arguments too
  local fired
  inject("summit", { doc = "a summit is scheduled",
                     args = { { name = "in", type = "duration", required = true } },
                     fire = function(a) fired = a["in"] end })
  fire("summit", { ["in"] = "2w" })
  eq(tostring(fired), tostring(weeks(2)), "an inject's argument")
  local okf, err = pcall(fire, "summit", {})
  refused(okf, err, "fire summit: in is required", "an inject's required argument")
end)

-- A malformed declaration is an error at once.
local okd, errd = pcall(move, "bad",
                        { args = { { name = "x", type = "colour" } }, apply = function() end })
refused(okd, errd, "argument 'x' needs a type", "an unknown type")
okd, errd = pcall(move, "bad2",
                  { args = { { name = "x", type = "choice" } }, apply = function() end })
refused(okd, errd, "needs options", "a choice without options")
okd, errd = pcall(move, "bad3", { args = { { name = "x", type = "text" },
                                           { name = "x", type = "text" } },
                                  apply = function() end })
refused(okd, errd, "declared twice", "a name declared twice")
move("twice", { apply = function() end })
okd, errd = pcall(move, "twice", { apply = function() end })
refused(okd, errd, "move 'twice' is already defined", "a move defined twice")
form("note", { args = { { name = "text", type = "text" } } })
okd, errd = pcall(form, "note", { args = {} })
refused(okd, errd, "form 'note' is already defined", "a message form defined twice")

-- A scenario's own args list is read as it is at each call (only the standard moves'
-- lists, shared and read-only, have their names looked up from a set made once).
local own = { { name = "a", type = "text" } }
move("own_args", { args = own, apply = function(_, args) got = args.b end })
no("unknown argument 'b'; the arguments are: a", "b before it is declared",
   usa:move("own_args", { b = "x" }))
own[2] = { name = "b", type = "text" }
eq(usa:move("own_args", { b = "late" }), true, "b declared after move()")
eq(got, "late", "the late argument is passed")
