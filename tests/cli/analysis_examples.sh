# analysis_examples.sh: examples/analysis.R and examples/analysis.py run
# against a fresh flagship batch with a sweep, and every figure they print
# (probability and interval, mean, sd, min, quantiles, max, n, histogram)
# equals detente's own summary at the precision printed.
source "$(dirname "$0")/data/mc_lib.sh"
PY=${DETENTE_PY:-python3}
ROOT=$(cd "$HERE/../../.." && pwd)
command -v Rscript >/dev/null && "$PY" -c 'import pandas' 2>/dev/null ||
  { echo "skip: needs Rscript and pandas (make deps installs r-base-core and python3-pandas)"; exit 77; }
"$DETENTE" mc "$ROOT/scripts/new_start_2026.lua" --runs 250 --seed 2026 --sweep p_us_accept=0.1,0.6 -q \
  --out "$TMP/runs.csv" --summary "$TMP/summary.json"
(cd "$TMP" && Rscript "$ROOT/examples/analysis.R" runs.csv summary.json limits_hold_2027 rus_deployed_warheads) > "$TMP/R.txt" ||
  die "analysis.R failed"
[ -s "$TMP/hist_rus_deployed_warheads.png" ] || die "analysis.R drew no histogram"
(cd "$TMP" && "$PY" "$ROOT/examples/analysis.py" runs.csv summary.json limits_hold_2027 rus_deployed_warheads) > "$TMP/py.txt" ||
  die "analysis.py failed"
"$PY" - "$TMP/summary.json" "$TMP/R.txt" "$TMP/py.txt" <<'PY' || die "the examples disagree with detente's summary"
import json, re, sys
s = json.load(open(sys.argv[1]))
want = []
for pt in s["points_summary"]:
    b = pt["outcomes"]["limits_hold_2027"]; n = pt["outcomes"]["rus_deployed_warheads"]
    want.append("  P(limits_hold_2027) = %.3f  95%% CI [%.3f, %.3f]  (n = %d)" % (b["p"], b["ci95"][0], b["ci95"][1], b["n"]))
    want.append("  rus_deployed_warheads: mean %.4g  sd %.4g  min %.4g  p5 %.4g  median %.4g  p95 %.4g  max %.4g  (n = %d)"
                % tuple([n[k] for k in ("mean", "sd", "min", "p5", "median", "p95", "max")] + [n["n"]]))
    want.append("  histogram: " + " ".join(str(c) for c in n["histogram"]["counts"]))
assert len({w for w in want if w.startswith("  P(")}) == 2, "the sweep points should differ: %r" % want
for f in sys.argv[2:]:
    lines = [l for l in open(f).read().splitlines() if re.match(r"  (P\(\w+\) =|rus_|histogram)", l)]
    assert lines == want, "%s:\n%s\nwant:\n%s" % (f, "\n".join(lines), "\n".join(want))
    text = open(f).read()
    assert "point 1 (p_us_accept=0.6)" in text and "point 1 minus point 0" in text, f
PY
echo "ok: analysis.R and analysis.py agree with detente's summary"
