-- api_data.lua: data files and modules from the scenario's own folder.
scenario { title = "api: data", start = "2026-01-01", stop = "2026-01-02" }
local rows, header = data.csv("data/sample.csv")
assert(#rows == 3 and #header == 4 and header[1] == "party", "rows and header")
assert(rows[1].party == "US" and rows[1].warheads == 1419
       and math.type(rows[1].warheads) == "integer", "numbers")
assert(rows[2].warheads == nil, "an empty cell is absent, never zero")
assert(rows[3].note == "a, quoted \"note\"", "RFC 4180 quoting: " .. tostring(rows[3].note))
assert(rows[3].ratio == 0.5, "decimals")
local j = data.json("data/sample.json")
assert(j.name == "New START" and j.limits[2] == 1550 and j.nested.ok == true and j.gone == nil,
       "json")
local m = require "data.helper"
assert(m.double(21) == 42, "require from the scenario's folder")
assert(require "data.helper" == m, "require caches per run")
assert(not pcall(require, "data.missing"), "missing module is an error")
local ex = data.csv("@stdlib/new_start/data_exchanges.csv")
assert(#ex > 40 and ex[1].party and ex[1].source_url, "the standard library's data through the API")
local ok, err = pcall(data.csv, "@stdlib/../../etc/passwd")
assert(not ok and err:find("may not leave"), "no escape through @stdlib/: " .. tostring(err))
local t = data.json("@stdlib/new_start/treaty.json")
assert(t.central_limits.deployed_warheads.limit == 1550, "treaty.json from the standard library")
-- A file is parsed once per worker and shared by its runs: read-only, and
-- no run can leave anything in it for the next one.
local again = data.csv("data/sample.csv")
assert(again == rows and again[1] == rows[1], "the same file gives the same (shared) rows")
local okw, werr = pcall(function() rows[1].party = "XX" end)
assert(not okw and werr:find("read%-only"), "data rows are read-only: " .. tostring(werr))
assert(not pcall(function() rows[4] = {} end), "no new rows")
assert(not pcall(rawset, rows, 4, {}), "rawset refuses frozen data")
assert(not pcall(function() j.limits[1] = 0 end), "json arrays are read-only")
local keys = {}
for k in pairs(rows[1]) do keys[#keys + 1] = k end
table.sort(keys)
assert(table.concat(keys, ",") == "note,party,ratio,warheads",
       "pairs over a frozen row: " .. table.concat(keys, ","))
local _, state_ = pairs(rows)
assert(type(state_) ~= "table", "pairs does not hand out the shared table")
local copy = {}
for i, r in ipairs(rows) do copy[i] = r.warheads end
assert(copy[1] == 1419 and #rows == 3, "ipairs and # work")
assert(getmetatable(rows) == false, "the frozen view's metatable is protected")
