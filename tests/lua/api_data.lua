-- api_data.lua: data files and modules from the scenario's own folder.
scenario { title = "api: data", start = "2026-01-01", stop = "2026-01-02" }
local rows, header = data.csv("data/sample.csv")
assert(#rows == 3 and #header == 4 and header[1] == "party", "rows and header")
assert(rows[1].party == "US" and rows[1].warheads == 1419 and math.type(rows[1].warheads) == "integer", "numbers")
assert(rows[2].warheads == nil, "an empty cell is absent, never zero")
assert(rows[3].note == "a, quoted \"note\"", "RFC 4180 quoting: " .. tostring(rows[3].note))
assert(rows[3].ratio == 0.5, "decimals")
local j = data.json("data/sample.json")
assert(j.name == "New START" and j.limits[2] == 1550 and j.nested.ok == true and j.gone == nil, "json")
local m = require "data.helper"
assert(m.double(21) == 42, "require from the scenario's folder")
assert(require "data.helper" == m, "require caches per run")
assert(not pcall(require, "data.missing"), "missing module is an error")
