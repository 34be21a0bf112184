-- hostile: a CSV cell such as 1e999 read as inf (and -1e999 as -inf), with no
-- word, while data.json refuses the same number ("real number overflow"). A
-- CSV number beyond the doubles is an error naming the file, line and column;
-- big numbers that fit, integers past 2^63 (as floats) and text stay as they were.
-- setup: printf 'a,b\r\n1.7e308,9223372036854775808\r\nnan,inf\r\n' > ok.csv && printf 'a,b\r\n1,2\r\n1,-1e999\r\n' > n.csv
-- exit: 1
-- message: n.csv:3: column 'b': the number -1e999 is out of range (beyond 1.8e308)
-- seconds: 10
-- rss-mib: 100
scenario { title = "CSV numbers", start = "2026-01-01", stop = "2026-02-01" }
local rows = data.csv("ok.csv")
assert(rows[1].a == 1.7e308 and rows[1].b == 2.0 ^ 63 and math.type(rows[1].b) == "float")
assert(rows[2].a == "nan" and rows[2].b == "inf", "words stay text")
data.csv("n.csv")
