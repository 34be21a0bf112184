-- mc_lhs.lua: params of every kind --sample lhs stratifies (mc_lhs.sh).
scenario { title = "lhs", start = "2026-01-01", stop = "2026-02-01" }
param("u", dist.uniform(2, 6), "uniform")
param("n", dist.normal(10, 2), "normal")
param("k", dist.int(1, 40), "whole numbers, as many as the runs per point")
param("g", dist.gamma(2, 3), "gamma")
param("b", dist.beta(2, 5), "beta")
param("t", dist.triangular(0, 1, 4), "triangular")
param("e", dist.exponential(5), "exponential")
param("r", 0.5, { doc = "a plain number with a range", min = 0, max = 8 })
param("w", 3, { doc = "a whole number with a range", min = 1, max = 40 })
param("fixed", 7, "no range: never sampled")
param("level", 1, "swept")
outcome("x", function() return param.u * param.level + param.r end)
