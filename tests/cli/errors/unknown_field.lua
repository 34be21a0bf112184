-- expect-exit: 1
-- expect: unknown_field.lua:6: system: unknown field 'deployd' (did you mean 'deployed'?)
-- expect: during scenario setup
scenario { start = "2026-01-01", stop = "2026-03-01" }
local usa = state { id = "USA" }
usa:system { name = "Minuteman III", category = "ICBM", deployd = 16 }
