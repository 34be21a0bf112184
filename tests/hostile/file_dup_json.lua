-- hostile: a JSON object with the same key twice silently kept one of them.
-- It is an error naming the key.
-- setup: printf '{"k": 1, "k": 2}' > dup.json && printf '{"a": {"x": [1, {"y": 1, "y": 2}]}}' > deep.json
-- exit: 1
-- message: duplicate
-- seconds: 10
-- rss-mib: 100
scenario { title = "dup json", start = "2026-01-01", stop = "2026-02-01" }
local ok, err = pcall(data.json, "deep.json")
assert(not ok and err:find("duplicate") and err:find("y"), tostring(err))
data.json("dup.json")
