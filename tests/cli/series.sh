#!/usr/bin/env bash
# series.sh: series() sampled on their grid and on the stop date, printed by
# `detente run` and carried by --log; outcomes at a date (nil when --until
# stops the run before it) and date-valued outcomes; `detente mc --series`
# writes the long format and the summary's quantile bands.
set -eu
cd "$(dirname "$0")/../.."
D=${DETENTE:-build/detente}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
S=tests/cli/data/series.lua
out=$(NO_COLOR=1 "$D" run "$S" --log "$tmp/log.jsonl")
grep -q '^  2026-03-15        21         1$' <<<"$out" || { echo "series table row missing"; echo "$out"; exit 1; }
grep -q '^  2026-07-01        40         1$' <<<"$out" || { echo "stop-date sample missing"; exit 1; }
grep -q '^  mid         24$' <<<"$out" || { echo "outcome at 2026-04-01"; exit 1; }
grep -q '^  crossed_25  2026-04-07$' <<<"$out" || { echo "date outcome"; exit 1; }
python3 - "$tmp/log.jsonl" <<'PY'
import json, sys
end = [json.loads(l) for l in open(sys.argv[1])][-1]
assert end["outcomes"]["crossed_25"] == "2026-04-07", end
w = end["series"]["warheads"]
assert w[0] == ["2026-01-15", 10] and w[-1] == ["2026-07-01", 40] and len(w) == 7, w
assert end["series"]["over_20"][0] == ["2026-01-15", None], end["series"]["over_20"]
PY
# --until before the outcome's date: nil, not an early value.
out=$(NO_COLOR=1 "$D" run "$S" --until 2026-03-01)
grep -q '^  mid         none$' <<<"$out" || { echo "--until must leave 'mid' nil"; echo "$out"; exit 1; }
# mc: long format in run order, bands in the summary, the fan chart on the terminal.
out=$(NO_COLOR=1 "$D" mc "$S" --runs 6 --threads 2 --series "$tmp/s.csv" --summary "$tmp/sum.json" 2>/dev/null)
grep -q '^series (median' <<<"$out" || { echo "no fan chart"; echo "$out"; exit 1; }
python3 - "$tmp/s.csv" "$tmp/sum.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 6 * (7 + 4), len(rows)
assert [int(r["run"]) for r in rows] == sorted(int(r["run"]) for r in rows)
assert rows[0] == {"run": "0", "date": "2026-01-15", "name": "warheads", "value": "10"}, rows[0]
assert any(r["name"] == "over_20" and r["value"] == "" for r in rows)
summ = json.load(open(sys.argv[2]))
crossed = summ["points_summary"][0]["outcomes"]["crossed_25"]
assert crossed["kind"] == "category" and crossed["dates"]["p50"] == "2026-04-07" and crossed["dates"]["p95"] == "2026-04-07", crossed
ser = summ["series"]
assert [s["name"] for s in ser] == ["warheads", "over_20"]
w = ser[0]
assert w["dates"][2] == "2026-03-15" and w["n"][2] == 6 and w["p50"][2] == 21 and w["p5"][6] == 40, w
assert ser[1]["n"][0] == 0 and ser[1]["p50"][0] is None
PY
# Shards: merge --series-in ... --series gives the unsharded batch's series file and bands.
"$D" mc "$S" --runs 7 -q --series "$tmp/all.csv" --summary "$tmp/all.json" --out "$tmp/all_runs.csv"
"$D" mc "$S" --runs 7 -q --shard 1/2 --series "$tmp/s1.csv" --out "$tmp/r1.csv"
"$D" mc "$S" --runs 7 -q --shard 2/2 --series "$tmp/s2.csv" --out "$tmp/r2.csv"
"$D" merge "$tmp/r2.csv" "$tmp/r1.csv" -q --out "$tmp/m.csv" --summary "$tmp/m.json" \
  --series-in "$tmp/s2.csv" --series-in "$tmp/s1.csv" --series "$tmp/ms.csv"
cmp "$tmp/all.csv" "$tmp/ms.csv" || { echo "merged series file differs from the unsharded one"; exit 1; }
python3 - "$tmp/all.json" "$tmp/m.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["series"] for p in sys.argv[1:])
assert a == b, (a, b)
PY
if "$D" merge "$tmp/r1.csv" "$tmp/r2.csv" -q --series "$tmp/x.csv" 2>/dev/null; then echo "--series without --series-in must fail"; exit 1; fi
# --db: the same rows in the series table.
"$D" mc "$S" --runs 3 -q --db "$tmp/b.sqlite" >/dev/null
python3 - "$tmp/b.sqlite" <<'PY'
import sqlite3, sys
h = sqlite3.connect(sys.argv[1])
assert h.execute("select count(*) from series").fetchone()[0] == 3 * (7 + 4)
assert h.execute("select value from series where run = 2 and series = 'warheads' and date = '2026-03-15'").fetchone()[0] == 21
assert h.execute("select value from series where run = 0 and series = 'over_20' and date = '2026-01-15'").fetchone()[0] is None
PY
# Bad input: a period under a day, a series before scenario{}.
printf 'scenario { start = "2026-01-01", stop = "2026-02-01" }\nseries("x", 0.5, function() return 1 end)\n' > "$tmp/bad.lua"
if "$D" run "$tmp/bad.lua" 2>"$tmp/err"; then echo "a half-day period must fail"; exit 1; fi
grep -q "at least days(1)" "$tmp/err"
printf 'series("x", days(1), function() return 1 end)\n' > "$tmp/bad2.lua"
if "$D" run "$tmp/bad2.lua" 2>"$tmp/err"; then echo "series before scenario must fail"; exit 1; fi
grep -q "call scenario{} first" "$tmp/err"
printf 'scenario { start = "2026-01-01", stop = "2026-02-01" }\nseries("x", days(7), function() return "a" end)\n' > "$tmp/bad3.lua"
if "$D" run "$tmp/bad3.lua" 2>"$tmp/err"; then echo "a string sample must fail"; exit 1; fi
grep -q "a series returns a finite number" "$tmp/err"
echo "series.sh: ok"
