-- run_error.lua: an error in a hook stops that run; check says where and when.
-- expect-exit: 1
-- expect: run_error.lua:7: boom (at simulated date 2026-03-01, while handling a hook scheduled with at() or after(); seed 1)
-- expect-problems: 1
scenario { title = "check: an error in a run", start = "2026-01-01", stop = "2026-06-30" }
at("2026-03-01", function()
  error("boom")
end)
