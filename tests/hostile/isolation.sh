#!/usr/bin/env bash
# isolation.sh: nothing a run does is visible to a later run. isolation.lua
# tries every channel; over 500 runs mc with 1 and with 2 threads must write
# the same rows byte for byte, no run may report state from an earlier one,
# and sampled rows must equal `detente run --seed` of that run.
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/isolation.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
"$DETENTE" mc "$S" --runs 500 --threads 1 --seed 7 -q --out "$TMP/t1.csv" --summary "$TMP/s1.json"
"$DETENTE" mc "$S" --runs 500 --threads 2 --seed 7 -q --out "$TMP/t2.csv" --summary "$TMP/s2.json"
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
rows=$(($(wc -l < "$TMP/t1.csv") - 1))
[ "$rows" -eq 500 ] || die "$rows rows, expected 500"
col() { head -1 "$TMP/t1.csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
cs=$(col seen); cd_=$(col draw); ci=$(col seed)
[ -n "$cs" ] && [ -n "$cd_" ] && [ -n "$ci" ] || die "columns missing: $(head -1 "$TMP/t1.csv")"
leaks=$(awk -F, -v c="$cs" 'NR > 1 && $c != "\"\"" && $c != "" && $c != "NA"' "$TMP/t1.csv" | head -3)
[ -z "$leaks" ] || die "a run saw state from an earlier run: $leaks"
for r in 0 1 2 99 250 498 499; do
  row=$(awk -F, -v r=$r 'NR > 1 && $1 == r' "$TMP/t1.csv")
  seed=$(cut -d, -f"$ci" <<<"$row"); seed=${seed#s}
  draw=$(cut -d, -f"$cd_" <<<"$row")
  out=$("$DETENTE" run --seed "$seed" --quiet "$S")
  got=$(awk '$1 == "draw" { print $2 }' <<<"$out")
  awk -v a="$got" -v b="$draw" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9) }' ||
    die "run $r: draw $got in detente run --seed $seed, $draw in mc"
  grep -q '^seen' <<<"$out" && [ -n "$(awk '$1 == "seen" { print $2 }' <<<"$out")" ] && die "run --seed saw a leak"
done
echo "ok: 500 runs isolated; 1 thread = 2 threads = run --seed"
