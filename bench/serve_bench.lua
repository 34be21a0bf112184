-- serve_bench.lua: the scenario bench_serve.sh drives: 50 seats, each with a
-- move whose event only its own seat sees, so the load generator (python)
-- measures the server rather than its own parsing of 50 x 1,000 events/s.
scenario { title = "Serve bench", start = "2026-01-01", stop = "2030-12-31" }
for i = 1, 50 do state { id = "S" .. i, name = "Seat " .. i } end
local notes = 0
every(days(1), function() notes = notes end)
move("note", {
  doc = "a private note: text=",
  validate = function(s, args) return type(args.text) == "string", "a note needs text" end,
  apply = function(s, args)
    notes = notes + 1
    emit { kind = "note.made", by = s, text = args.text, visibility = "private" }
  end,
})
outcome("notes", function() return notes end)

-- For bench_web.py's fan-out: a public statement every page receives.
move("shout", {
  doc = "a public statement: text=",
  validate = function(s, args) return type(args.text) == "string", "a shout needs text" end,
  apply = function(s, args) emit { kind = "shout", by = s, text = args.text } end,
})
