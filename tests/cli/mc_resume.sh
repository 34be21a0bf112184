# mc_resume.sh: a batch killed with SIGKILL part way, or whose runs file ends
# in a torn row, continues with --resume to exactly the runs file, sidecar and
# summary of the uninterrupted batch.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
args=(--runs 1500 --seed 7 --sweep scale=1,10 --threads 2 -q)
"$DETENTE" mc "$S" "${args[@]}" --out "$TMP/all.csv" --summary "$TMP/all.json"
[ ! -e "$TMP/all.csv.partial.json" ] || die "a finished batch leaves nothing to resume"
# killed part way: wait until some rows are out, then SIGKILL (the program
# itself, not the suite's recording wrapper around it)
"${DETENTE_REAL:-$DETENTE}" mc "$S" "${args[@]}" --out "$TMP/k.csv" & pid=$!
for _ in $(seq 1 400); do
  [ "$(stat -c %s "$TMP/k.csv" 2>/dev/null || echo 0)" -gt 30000 ] && break
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
[ -e "$TMP/k.csv.partial.json" ] || die "no partial file beside a killed batch"
[ ! -e "$TMP/k.csv.meta.json" ] || die "a killed batch must leave no sidecar"
"$DETENTE" mc "$S" --resume "$TMP/k.csv" --summary "$TMP/k.json" 2>"$TMP/err" >/dev/null || { cat "$TMP/err"; die "resume failed"; }
grep -Eq "resuming .*k.csv after [0-9]+ of 3000 runs" "$TMP/err" || die "no word on where it resumed"
grep -Eq "after (0|3000) of" "$TMP/err" && die "the kill did not land part way: $(cat "$TMP/err")"
same "$TMP/all.csv" "$TMP/k.csv" "runs file after a kill and --resume"
same "$TMP/all.csv.meta.json" "$TMP/k.csv.meta.json" "sidecar after --resume"
same "$TMP/all.json" "$TMP/k.json" "summary after --resume"
[ ! -e "$TMP/k.csv.partial.json" ] || die "the partial file stays after the batch finished"
# a torn last row (cut inside a row, quoted newlines and all) is dropped and rerun
cp "$TMP/all.csv" "$TMP/t.csv"
sed 's/"rows": [0-9]*/"rows": 0/; s/"errors": [0-9]*/"errors": 0/' "$TMP/all.csv.meta.json" > "$TMP/t.csv.partial.json"
for cut in 100000 100001 137777; do
  cp "$TMP/all.csv" "$TMP/t.csv"; truncate -s "$cut" "$TMP/t.csv"
  sed 's/"rows": [0-9]*/"rows": 0/; s/"errors": [0-9]*/"errors": 0/' "$TMP/all.csv.meta.json" > "$TMP/t.csv.partial.json"
  "$DETENTE" mc "$S" --resume "$TMP/t.csv" --summary "$TMP/t.json" -q
  same "$TMP/all.csv" "$TMP/t.csv" "runs file resumed after a cut at byte $cut"
  same "$TMP/all.json" "$TMP/t.json" "summary resumed after a cut at byte $cut"
done
expect_fail 3 "only a batch started with --out" -- "$DETENTE" mc "$S" --resume "$TMP/all.csv"
expect_fail 2 "the batch's settings come from" -- "$DETENTE" mc "$S" --resume "$TMP/t.csv" --runs 5
# the scenario changed since: refused
cp "$S" "$TMP/changed.lua"; echo "-- edited" >> "$TMP/changed.lua"
cp "$TMP/all.csv" "$TMP/c.csv"; truncate -s 50000 "$TMP/c.csv"
sed 's/"rows": [0-9]*/"rows": 0/; s/"errors": [0-9]*/"errors": 0/' "$TMP/all.csv.meta.json" > "$TMP/c.csv.partial.json"
expect_fail 5 "changed since the batch started" -- "$DETENTE" mc "$TMP/changed.lua" --resume "$TMP/c.csv"
echo "ok: killed and torn batches resume to the uninterrupted bytes"
