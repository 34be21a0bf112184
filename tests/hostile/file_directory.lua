-- hostile: a folder where a data file was expected gave "no such file" (or,
-- opened, a read error). It says "is a directory" now, for each reader.
-- setup: mkdir dir.csv dir.json dirmod && mkdir -p sub/mod.lua
-- exit: 1
-- message: is a directory
-- seconds: 10
-- rss-mib: 100
scenario { title = "directory", start = "2026-01-01", stop = "2026-02-01" }
local ok, err = pcall(data.json, "dir.json")
assert(not ok and err:find("is a directory"), tostring(err))
ok, err = pcall(require, "sub.mod")
assert(not ok, "require of a folder")
data.csv("dir.csv")
