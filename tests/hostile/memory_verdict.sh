#!/usr/bin/env bash
# memory_verdict.sh: whether a run stops at --max-memory depends on the run
# alone: not on the garbage and bookkeeping earlier runs of the worker left, nor
# on when the collector ran. Runs near the limit (14-17 MiB live at a 16 MiB
# limit, churning strings through string.rep, table.concat, string.format and
# gsub) between runs that leave garbage: mc with 1 thread, 2 threads and a
# shard (other predecessors) write the same rows, and sampled runs give the
# same status in `detente run --seed` (a fresh process). Some near runs must
# pass and some stop, or the test proves nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/memory_verdict.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
a=(--runs 30 --seed 11 --max-memory 16 --max-instructions 0 -q)
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --out "$TMP/t1.csv" --summary "$TMP/s1.json" 2>/dev/null || true
"$DETENTE" mc "$S" "${a[@]}" --threads 2 --out "$TMP/t2.csv" --summary "$TMP/s2.json" 2>/dev/null || true
"$DETENTE" mc "$S" "${a[@]}" --threads 1 --shard 2/3 --out "$TMP/sh.csv" 2>/dev/null || true
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
# the shard's rows are rows of the whole batch
while IFS= read -r row; do
  grep -qxF -- "$row" "$TMP/t1.csv" || die "shard 2/3 row differs from the batch: $row"
done < <(tail -n +2 "$TMP/sh.csv")
col() { head -1 "$TMP/t1.csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
ck=$(col kind); cs=$(col status); ci=$(col seed)
near_ok=$(awk -F, -v k="$ck" -v s="$cs" 'NR > 1 && $s == "ok" && $k == 2' "$TMP/t1.csv" | wc -l)
near_err=$(grep -c "memory limit exceeded" "$TMP/t1.csv" || true)
[ "$near_ok" -ge 3 ] && [ "$near_err" -ge 3 ] ||
  die "expected near runs that pass and near runs that stop: $near_ok pass, $near_err stop"
bad=$(awk -F, -v s="$cs" 'NR > 1 && $s != "ok"' "$TMP/t1.csv" | { grep -v "memory limit exceeded" || true; } | head -3)
[ -z "$bad" ] || die "a run failed for another reason: $bad"
for r in 2 3 8 13 17 21 26 29; do
  row=$(awk -F, -v r=$r 'NR > 1 && $1 == r' "$TMP/t1.csv")
  seed=$(cut -d, -f"$ci" <<<"$row"); seed=${seed#s}
  want=$(cut -d, -f"$cs" <<<"$row")
  if "$DETENTE" run --seed "$seed" --quiet --max-memory 16 --max-instructions 0 "$S" >/dev/null 2>"$TMP/err"; then
    got=ok
  else
    grep -q "memory limit exceeded" "$TMP/err" || die "run $r: $(head -2 "$TMP/err")"
    got=limit
  fi
  [ "$got" = "$want" ] || die "run $r: $got in detente run --seed $seed, $want in mc"
done
echo "ok: memory verdicts: $near_ok near runs pass, $near_err stop; 1 thread = 2 threads = shard = run --seed"
