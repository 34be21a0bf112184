# mc_lazy_limit.sh: mc enforces the instruction limit without counting every
# instruction (lrt.c, "the lazy instruction limit"): a run whose hook runs
# longer than the timer's tick is run again with the exact count. Results must
# be what the exact count gives: the same rows with 1 and 2 threads, a long
# legal hook finishes, endless loops in a hook or in a script coroutine stop
# with the message `detente run` (always exact) gives.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_lazy_limit.lua"
for t in 1 2; do
  "$DETENTE" mc "$S" --runs 2 --seed 3 --threads $t --max-instructions 2000000000 -q --out "$TMP/r$t.csv" >/dev/null 2>&1 || die "mc -t $t failed"
done
same "$TMP/r1.csv" "$TMP/r2.csv" "1 and 2 threads"
"${DETENTE_PY:-python3}" - "$TMP/r1.csv" <<'PY' || die "long legal hooks must finish"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 2 and all(r["status"] == "ok" for r in rows), rows
assert all(179999999 <= int(r["sum"]) <= 180000004 for r in rows), rows
PY
for mode in 1 2; do
  "$DETENTE" run "$S" -D mode=$mode -D n=0 >/dev/null 2>"$TMP/run_err" && die "run -D mode=$mode should fail"
  want=$(head -1 "$TMP/run_err" | sed 's/^detente run: //')
  rc=0; "$DETENTE" mc "$S" --runs 1 -D mode=$mode -D n=0 -q --out "$TMP/m$mode.csv" >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 4 ] || die "mc -D mode=$mode exited $rc, expected 4 (every run at the limit)"
  grep -qF -- "$want" "$TMP/m$mode.csv" || { head -3 "$TMP/m$mode.csv" >&2; die "mode $mode: mc's error differs from run's: $want"; }
done
echo "ok: lazy limit gives the exact count's results"
