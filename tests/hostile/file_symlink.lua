-- hostile: data files that are symbolic links out of the scenario's folder (to
-- /etc/hostname): data.csv, data.json and require followed them. Files are now
-- opened beneath the folder; a link inside the folder still works.
-- setup: ln -s /etc/hostname out.csv && ln -s /etc/hostname out.json && mkdir -p sub && ln -s /etc/hostname sub/evil.lua && printf 'a,b\n1,2\n' > in.csv && ln -s in.csv inside.csv && mkdir dir.csv
-- exit: 1
-- message: leads outside the scenario's folder
-- seconds: 10
-- rss-mib: 100
scenario { title = "links", start = "2026-01-01", stop = "2026-02-01" }
local rows = data.csv("inside.csv")
assert(rows[1].a == 1, "a link that stays inside the folder is read")
local ok, err = pcall(data.json, "out.json")
assert(not ok and err:find("leads outside"), tostring(err))
ok, err = pcall(require, "sub.evil")
assert(not ok and err:find("outside"), tostring(err))
ok, err = pcall(data.csv, "dir.csv")
assert(not ok and err:find("is a directory"), tostring(err))
ok, err = pcall(data.csv, "missing.csv")
assert(not ok and err:find("no such file"), tostring(err))
outcome("leak", function() return data.csv("out.csv")[1] end)
data.csv("out.csv")
