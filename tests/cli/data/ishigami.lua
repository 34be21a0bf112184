-- ishigami.lua: the Ishigami function as a scenario, for `detente sensitivity`
-- (Ishigami and Homma 1990):
-- its Sobol indices are known (a = 7, b = 0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244.
scenario { title = "Ishigami", start = "2026-01-01", stop = "2026-01-02" }
local pi = math.pi
param("x1", 0, { doc = "first input", min = -pi, max = pi })
param("x2", 0, { doc = "second input", min = -pi, max = pi })
param("x3", 0, { doc = "third input", min = -pi, max = pi })
outcome("f", function()
  return math.sin(param.x1) + 7 * math.sin(param.x2) ^ 2 + 0.1 * param.x3 ^ 4 * math.sin(param.x1)
end)

