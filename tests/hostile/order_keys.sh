#!/usr/bin/env bash
# order_keys.sh: pairs walks keys that are objects never shown before (tables,
# closures, coroutines, state handles, library functions, a shared module's
# functions, a data file's rows, a pooled hook coroutine) in the order the run
# made them, whatever the allocator did before: data/order_keys.lua (garbage
# of a random size first) gives the same rows in mc with 1 thread, 2 threads,
# another process and a shard, and in `detente run --seed`; and every run
# sees the same thing.
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/order_keys.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
PY=${PYTHON:-/usr/bin/python3}
a=(--runs 40 --seed 9 -q)
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --out "$TMP/t1.csv"
"$DETENTE" mc "$S" "${a[@]}" --threads 2 --out "$TMP/t2.csv"
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --shard 2/3 --out "$TMP/sh.csv"
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
grep -c ',ok,' "$TMP/t1.csv" | grep -qx 40 || die "not every run passed: $(grep -v ',ok,' "$TMP/t1.csv" | head -3)"
"$PY" - "$TMP/t1.csv" "$TMP/sh.csv" <<'PY' || die "a shard's row differs from the batch"
import csv, sys
rows = {r["run"]: r for r in csv.DictReader(open(sys.argv[1]))}
for r in csv.DictReader(open(sys.argv[2])):
    assert rows[r["run"]] == r, r["run"]
PY
# Every run makes the same objects in the same order: one thing seen.
"$PY" - "$TMP/t1.csv" > "$TMP/seen" <<'PY' || die "runs saw different orders (the allocator's state leaked into pairs)"
import csv, sys
seen = {r["seen"] for r in csv.DictReader(open(sys.argv[1]))}
assert len(seen) == 1, len(seen)
print(seen.pop())
PY
ascending() { seq -s, 1 "$1"; }
expect() { grep -qxF -- "$1" "$TMP/seen" || die "expected the line '$1' in: $(cat "$TMP/seen")"; }
expect "tables: $(ascending 40)"
expect "closures: $(ascending 40)"
expect "coroutines: $(ascending 12)"
expect "states: USA,RUS,CHN,GBR,FRA,IND,PAK,ISR,PRK"
expect "data: $(ascending 8)"
expect "mixed: m,row2,s3,t1,f1,co,t2"
expect "hooks: 3,inner1,inner2,inner3"
grep -q '^library: ' "$TMP/seen" || die "no library line"
grep -q '^module: ' "$TMP/seen" || die "no module line"
for r in 0 13 39; do
  seed=$("$PY" -c 'import csv,sys; print([x for x in csv.DictReader(open(sys.argv[1])) if x["run"] == sys.argv[2]][0]["seed"][1:])' "$TMP/t1.csv" $r)
  "$DETENTE" run --seed "$seed" --quiet "$S" > "$TMP/run$r"
  while IFS= read -r line; do
    grep -qF -- "$line" "$TMP/run$r" || die "run $r in detente run --seed differs: '$line' not in $(cat "$TMP/run$r")"
  done < "$TMP/seen"
done
echo "ok: object keys in creation order: 1 thread = 2 threads = shard = run --seed, every run alike"
