-- expect-exit: 1
-- expect: data.json: cannot read
scenario { start = "2026-01-01", stop = "2026-03-01" }
data.json("no_such_file.json")
