#!/usr/bin/python3
"""analysis.py: a starting point for analysing a `detente mc` batch with pandas.
Run a batch, then this script:

    detente mc scripts/new_start_2026.lua --runs 1000 --sweep p_rus_hold=0.5,0.9 \\
      --out runs.csv --summary summary.json
    python3 examples/analysis.py runs.csv summary.json limits_hold_2027 rus_deployed_warheads

Arguments (all optional): the runs file, the summary, a boolean outcome and a
numeric outcome (the defaults are the flagship's). It prints, per sweep point,
the probability of the boolean outcome with its 95% interval, the numeric
outcome's mean and quantiles and a histogram, then compares the sweep points.
The figures are computed from the runs file and agree with detente's own
summary to the precision printed (tests/cli/analysis_examples.sh checks this).
"""
import json
import math
import sys

import numpy as np
import pandas as pd

args = sys.argv[1:]
runs_file = args[0] if len(args) > 0 else "runs.csv"
summary_file = args[1] if len(args) > 1 else "summary.json"
bool_name = args[2] if len(args) > 2 else "limits_hold_2027"
num_name = args[3] if len(args) > 3 else "rus_deployed_warheads"

# The one-line read: booleans come out bool, missing values NaN, the seed as
# text, and every double exactly as written (docs/formats.md#reading-the-runs-file).
runs = pd.read_csv(runs_file, float_precision="round_trip")
with open(summary_file, encoding="utf-8") as f:
    summ = json.load(f)

ok = runs[runs["status"] == "ok"].copy()
if "point" not in ok.columns:
    ok["point"] = 0
swept = [s["param"] for s in summ["sweep"]]


def label(p):
    if not swept:
        return "point %d" % p
    first = ok[ok["point"] == p].iloc[0]
    return "point %d (%s)" % (p, ", ".join("%s=%s" % (k, first[k]) for k in swept))


def wilson(k, n, z=1.959963984540054):
    """Wilson score interval, as detente computes it (z for 95%)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


print("%s: %d runs, %d ok (seed %s)\n" % (summ["scenario"]["title"], len(runs), len(ok), summ["seed"]))
points = sorted(ok["point"].unique())
probs = {}
for p in points:
    here = ok[ok["point"] == p]
    # A boolean column with missing values is object dtype: make it nullable boolean.
    b = here[bool_name].astype("boolean").dropna()
    k, n = int(b.sum()), len(b)
    lo, hi = wilson(k, n)
    probs[p] = (k, n)
    print(label(p))
    print("  P(%s) = %.3f  95%% CI [%.3f, %.3f]  (n = %d)" % (bool_name, k / n, lo, hi, n))

    x = here[num_name].dropna().to_numpy(dtype=float)
    q5, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95])   # numpy's "linear" = detente's (type 7)
    print("  %s: mean %.4g  sd %.4g  min %.4g  p5 %.4g  median %.4g  p95 %.4g  max %.4g  (n = %d)"
          % (num_name, x.mean(), x.std(ddof=1), x.min(), q5, q50, q95, x.max(), len(x)))
    if x.max() > x.min():
        counts, _ = np.histogram(x, bins=16, range=(x.min(), x.max()))
        print("  histogram: %s" % " ".join(str(c) for c in counts))
        top = max(counts)
        for c, edge in zip(counts, np.linspace(x.min(), x.max(), 17)):
            print("    %10.4g  %s" % (edge, "#" * int(round(40 * c / top))))

# Comparing the sweep points: the change in probability from the first point to
# each other one, with a normal-approximation 95% interval for the difference.
if len(points) > 1:
    print("\ncomparison across the sweep")
    k0, n0 = probs[points[0]]
    for p in points[1:]:
        k, n = probs[p]
        d = k / n - k0 / n0
        se = math.sqrt((k / n) * (1 - k / n) / n + (k0 / n0) * (1 - k0 / n0) / n0)
        print("  P(%s): point %d minus point %d = %+.3f  (95%% CI [%+.3f, %+.3f])"
              % (bool_name, p, points[0], d, d - 1.96 * se, d + 1.96 * se))
