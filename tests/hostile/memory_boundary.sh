#!/usr/bin/env bash
# memory_boundary.sh: --max-memory decides to the KiB on the run alone.
# data/memory_boundary.lua keeps 16100..16300 strings of 1 KiB at a 16 MiB
# limit, between runs that leave deep stacks and nest hooks up to 30 deep
# (which grew the worker's coroutine pool and main stack before). Over 200
# runs, mc with 1 and 2 threads writes the same rows, the verdict is a
# function of the size alone (every size below a threshold passes, every size
# above stops; both happen), and the runs next to the threshold give the same
# verdict in a fresh process (`detente run --seed`).
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/memory_boundary.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
PY=${PYTHON:-/usr/bin/python3}
a=(--runs 200 --seed 5 --max-memory 16 --max-instructions 0 -q)
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --out "$TMP/t1.csv" 2>/dev/null || true
"$DETENTE" mc "$S" "${a[@]}" --threads 2 --out "$TMP/t2.csv" 2>/dev/null || true
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
"$PY" - "$TMP/t1.csv" > "$TMP/near" <<'PY' || die "the verdict is not a function of the size"
import csv, math, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if float(r["kindp"]) >= 0.5]
for r in rows:
    r["k"] = 16100 + math.floor(float(r["kibp"]) * 200)
ok = [r["k"] for r in rows if r["status"] == "ok"]
stop = [r["k"] for r in rows if r["status"] == "limit"]
assert len(ok) + len(stop) == len(rows), "a run ended otherwise"
assert ok and stop, "no threshold in range: %d pass, %d stop" % (len(ok), len(stop))
assert max(ok) < min(stop), "passes at %d KiB, stops at %d" % (max(ok), min(stop))
print(max(ok), min(stop), file=sys.stderr)
near = sorted(rows, key=lambda r: min(abs(r["k"] - max(ok)), abs(r["k"] - min(stop))))[:6]
for r in near:
    print(r["seed"][1:], r["k"], r["status"])
PY
while read -r seed k st; do
  got=ok
  "$DETENTE" run --seed "$seed" --max-memory 16 --max-instructions 0 --quiet "$S" >/dev/null 2>&1 ||
    got=limit
  [ "$got" = "$st" ] || die "$k KiB: $st in mc, $got in detente run --seed $seed"
done < "$TMP/near"
echo "ok: memory verdicts at 1 KiB steps: 1 thread = 2 threads = run --seed, a function of the size"
