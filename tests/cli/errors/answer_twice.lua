-- expect-exit: 1
-- expect: answer_twice.lua:8: proposal P1 (talks, RUS to USA): already accepted
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa, rus = state { id = "USA" }, state { id = "RUS" }
at("2026-01-10", function()
  local p = rus:propose { to = usa, kind = "talks" }
  p:accept()
  p:reject()
end)
