#!/usr/bin/env bash
# order.sh: tostring/print/%p of tables and functions and pairs order are a
# function of the run alone: data/order.lua (garbage of a random size first,
# then what tostring, string.format and pairs show) gives the same rows in mc
# with 1 thread, 2 threads, another process and a shard, and in `detente run
# --seed`.
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/order.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
a=(--runs 30 --seed 5 -q)
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --out "$TMP/t1.csv" --summary "$TMP/s1.json"
"$DETENTE" mc "$S" "${a[@]}" --threads 2 --out "$TMP/t2.csv" --summary "$TMP/s2.json"
"$DETENTE" mc "$S" "${a[@]}" --threads 2 --out "$TMP/t3.csv" --summary "$TMP/s3.json"
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --shard 3/4 --out "$TMP/sh.csv"
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
cmp -s "$TMP/t2.csv" "$TMP/t3.csv" || { diff "$TMP/t2.csv" "$TMP/t3.csv" | head; die "two processes differ"; }
grep -c ',ok,' "$TMP/t1.csv" | grep -qx 30 || die "not every run passed: $(grep -v ',ok,' "$TMP/t1.csv" | head -3)"
python3 - "$TMP/t1.csv" "$TMP/sh.csv" <<'PY' || die "a shard's row differs from the batch"
import csv, sys
rows = {r["run"]: r for r in csv.DictReader(open(sys.argv[1]))}
for r in csv.DictReader(open(sys.argv[2])):
    assert rows[r["run"]] == r, r["run"]
PY
# every run sees the same thing: its own objects numbered from 1
n=$(python3 -c 'import csv,sys; print(len({r["seen"] for r in csv.DictReader(open(sys.argv[1]))}))' "$TMP/t1.csv")
[ "$n" = 1 ] || die "runs saw $n different things; the run's garbage leaked into what it sees"
first=$(python3 -c 'import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))["seen"])' "$TMP/t1.csv")
grep -qF "table: 0x00000001" <<<"$first" || die "no per-run number: $first"
grep -qF "1=10,2=20,3=30,-1=m" <<<"$first" && die "numbers not ascending: $first"
grep -qF -- "-1=m,1=10,2=20,2.5=h,3=30,aa=5,ab=3,b=4" <<<"$first" || die "order: $first"
for r in 0 7 19; do
  seed=$(python3 -c 'import csv,sys; print([x for x in csv.DictReader(open(sys.argv[1])) if x["run"] == sys.argv[2]][0]["seed"][1:])' "$TMP/t1.csv" $r)
  got=$("$DETENTE" run --seed "$seed" --quiet "$S")
  grep -qF "table: 0x00000001" <<<"$got" || die "run $r in detente run --seed: $got"
  grep -qF -- "$(grep -- '-1=m' <<<"$first")" <<<"$got" || die "run $r: pairs order in detente run --seed: $got"
done
echo "ok: addresses and pairs order: 1 thread = 2 threads = 2 processes = shard = run --seed"
