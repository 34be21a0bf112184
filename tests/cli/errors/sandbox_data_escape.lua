-- expect-exit: 1
-- expect: data.csv: '../../../etc/passwd' may not leave the script's folder ('..')
scenario { start = "2026-01-01", stop = "2026-03-01" }
data.csv("../../../etc/passwd")
