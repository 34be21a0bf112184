-- hostile: a count given as a float skipped every check an integer gets:
-- deployed = -5.0 reached the core as -5 ("0 warheads do not fit on -5
-- deployed launchers"), 1e300 was converted to int64 (undefined behaviour;
-- it printed -9223372036854775808) and NaN printed as "-nan". A float count
-- is now checked as an integer is: sign, then size, before the conversion.
-- exit: 1
-- message: count_float.lua:27: USA MM3: upload count is too large, got 9.2233720368548e+18
-- seconds: 10
-- rss-mib: 100
scenario { title = "float counts", start = "2026-01-01", stop = "2026-02-01" }
local usa = state { id = "USA" }
local function refused(want, f)
  local ok, e = pcall(f)
  assert(not ok and e:find(want, 1, true), ("wanted '%s', got %s"):format(want, tostring(e)))
end
local function sys(n, v)
  return function() usa:system { name = n, category = "ICBM", deployed = v } end
end
refused("'deployed' must not be negative, got -5.0", sys("A", -5.0))
refused("'deployed' is too large, got 1e+300", sys("B", 1e300))
refused("'deployed' must be a whole number, got nan", sys("C", 0 / 0))
refused("'deployed' is too large, got inf", sys("D", math.huge))
local mm3 = usa:system { name = "MM3", category = "ICBM", deployed = 10.0, warheads = 10,
                         capacity = 3 }
refused("upload count must not be negative, got -5.0", function() mm3:upload(-5.0) end)
assert(mm3.warheads == 10 and mm3.deployed == 10)
mm3:upload(2.0 ^ 63)
