-- hostile: a UTF-8 byte-order mark became part of the first column's name (or
-- broke the JSON parser). It is skipped.
-- setup: printf '\357\273\277id,n\nx,1\n' > bom.csv && printf '\357\273\277{"a": 1}' > bom.json && printf '\357\273\277return { v = 7 }\n' > bommod.lua
-- exit: 1
-- message: BOM skipped in CSV and JSON
-- seconds: 10
-- rss-mib: 100
scenario { title = "bom", start = "2026-01-01", stop = "2026-02-01" }
local rows, header = data.csv("bom.csv")
assert(header[1] == "id" and rows[1].id == "x", "the BOM is not part of the first column")
assert(data.json("bom.json").a == 1, "the BOM is skipped in JSON")
error("BOM skipped in CSV and JSON")
