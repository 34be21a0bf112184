-- hostile: a CSV file with one 40 MB field: libcsv's field buffer lived
-- outside the memory limit. It now counts against --max-memory.
-- setup: python3 -c 'import sys; sys.stdout.write("a\n\"" + "x" * 40000000 + "\"\n")' > big.csv
-- args: --max-memory 64
-- exit: 4
-- message: memory limit exceeded
-- seconds: 30
-- rss-mib: 80
scenario { title = "csv", start = "2026-01-01", stop = "2026-02-01" }
data.csv("big.csv")
