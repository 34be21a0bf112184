-- hostile: a 60 MB JSON file of empty arrays: Jansson's nodes lived outside
-- the memory limit (a 256 MiB limit let a run reach 2.7 GB). The parser's
-- allocations now count against --max-memory.
-- setup: python3 -c 'import sys; sys.stdout.write("[" + "[]," * 20000000 + "[]]")' > big.json
-- args: --max-memory 96
-- exit: 4
-- message: memory limit exceeded
-- seconds: 30
-- rss-mib: 112
scenario { title = "json", start = "2026-01-01", stop = "2026-02-01" }
data.json("big.json")
