-- hostile: error messages quoted the raw bytes of a bad file (control bytes,
-- whole lines of it) into logs and terminals. They quote at most 40 bytes,
-- escaped.
-- setup: printf '{"\001\002\033[31m %0200d' 0 > bad.json && printf 'a,b\n"\001\033[2J%0300d\n' 0 > bad.csv
-- exit: 1
-- message: malformed JSON: control character 0x1
-- seconds: 10
-- rss-mib: 100
scenario { title = "excerpt", start = "2026-01-01", stop = "2026-02-01" }
local ok, err = pcall(data.csv, "bad.csv")
assert(not ok and not err:find("\1", 1, true) and not err:find("\27", 1, true) and #err < 400,
       "no raw bytes in: " .. tostring(err))
ok, err = pcall(data.json, "bad.json")
assert(not ok and not err:find("\1", 1, true) and not err:find("\27", 1, true) and #err < 400,
       "no raw bytes in: " .. tostring(err))
error(err, 0)
