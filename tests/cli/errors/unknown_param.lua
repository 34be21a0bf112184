-- args: -D nope=1
-- expect-exit: 2
-- expect: -D nope: the scenario declares no param 'nope' (declared: p)
scenario { start = "2026-01-01", stop = "2026-03-01" }
param("p", 0.5, "a probability")
