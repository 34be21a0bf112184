-- args: -D p=abc
-- expect-exit: 1
-- expect: -D p=abc: expected a number
scenario { start = "2026-01-01", stop = "2026-03-01" }
param("p", 0.5, "a probability")
