# mc_determinism.sh: one batch gives the same bytes (runs file, sidecar,
# summary) with 1, 2 and 4 threads, and in another process.
source "$(dirname "$0")/data/mc_lib.sh"
for t in 1 2 4; do
  "$DETENTE" mc "$DATA/mc_basic.lua" --runs 400 --seed 11 --threads $t -q \
    --out "$TMP/t$t.csv" --summary "$TMP/t$t.json"
done
for t in 2 4; do
  same "$TMP/t1.csv" "$TMP/t$t.csv" "runs file, 1 vs $t threads"
  same "$TMP/t1.csv.meta.json" "$TMP/t$t.csv.meta.json" "sidecar, 1 vs $t threads"
  same "$TMP/t1.json" "$TMP/t$t.json" "summary, 1 vs $t threads"
done
[ "$(wc -l < "$TMP/t1.json")" -gt 50 ] || die "the summary is suspiciously short"
# more runs than the workers' window (256 per thread): workers wait for the
# writer, and the worker that finishes the next run in order writes it
for t in 1 3; do
  "$DETENTE" mc "$DATA/mc_basic.lua" --runs 3000 --seed 4 --threads $t -q --out "$TMP/w$t.csv" --summary "$TMP/w$t.json"
done
same "$TMP/w1.csv" "$TMP/w3.csv" "runs file of 3000 runs, 1 vs 3 threads"
same "$TMP/w1.json" "$TMP/w3.json" "summary of 3000 runs, 1 vs 3 threads"
# another seed gives other runs
"$DETENTE" mc "$DATA/mc_basic.lua" --runs 400 --seed 12 --threads 2 -q --out "$TMP/s12.csv"
! cmp -s "$TMP/t1.csv" "$TMP/s12.csv" || die "seeds 11 and 12 gave the same runs"
echo "ok: identical bytes for 1, 2 and 4 threads"
