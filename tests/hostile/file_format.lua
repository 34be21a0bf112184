-- hostile: data files with a UTF-8 byte-order mark (stripped), duplicate CSV
-- columns and duplicate JSON keys (errors naming them), and error messages
-- that would quote raw bytes of the file (escaped, at most 40 bytes).
-- setup: printf '\357\273\277id,n\nx,1\n' > bom.csv && printf '\357\273\277{"a": 1}' > bom.json && printf 'a,b,a\n1,2,3\n' > dup.csv && printf '{"k": 1, "k": 2}' > dup.json && printf '{"\001\002\003 %0200d' 0 > bad.json
-- exit: 1
-- message: duplicate column 'a' in the header (columns 1 and 3)
-- seconds: 10
-- rss-mib: 100
scenario { title = "formats", start = "2026-01-01", stop = "2026-02-01" }
local rows, header = data.csv("bom.csv")
assert(header[1] == "id" and rows[1].id == "x", "the BOM is not part of the first column's name")
assert(data.json("bom.json").a == 1, "the BOM is skipped in JSON")
local ok, err = pcall(data.json, "dup.json")
assert(not ok and err:find("duplicate") and err:find("k"), tostring(err))
ok, err = pcall(data.json, "bad.json")
assert(not ok and not err:find("\1", 1, true) and #err < 400, "no raw bytes in: " .. tostring(err))
data.csv("dup.csv")
