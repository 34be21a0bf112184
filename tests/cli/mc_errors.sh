# mc_errors.sh: failing runs do not stop the batch: they are counted, marked
# in the runs file and the summary, and the first ones printed with index and
# seed; a batch where every run fails exits non-zero.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_errors.lua"
"$DETENTE" mc "$S" --runs 200 --threads 2 --out "$TMP/runs.csv" --summary "$TMP/sum.json" >"$TMP/out" 2>"$TMP/err"
n=$(grep -c ',error,' "$TMP/runs.csv")
[ "$n" -gt 20 ] && [ "$n" -lt 120 ] || die "expected about 30% failed runs, got $n"
[ "$(grep -c ',ok,' "$TMP/runs.csv")" -eq $((200 - n)) ] || die "ok + error rows != 200"
grep -q "^detente mc: $n of 200 runs failed" "$TMP/err" || die "no failure count on stderr"
[ "$(grep -c '^run [0-9]* (seed [0-9]*) failed: .*mc_errors.lua:7: risk too high' "$TMP/err")" -eq 3 ] ||
  die "the first 3 failures should be printed with run, seed and message"
grep -q '"count": '"$n" "$TMP/sum.json" || die "summary lacks the error count"
grep -q '"message": ".*risk too high' "$TMP/sum.json" || die "summary lacks the first error messages"
grep -q "$n failed" "$TMP/out" || die "terminal summary lacks the failure count"
# every run failing is an error of the batch
expect_fail 1 "200 of 200 runs failed" -- "$DETENTE" mc "$S" --runs 200 -D risk=0.9 -q
echo "ok: error runs are counted and reported"
