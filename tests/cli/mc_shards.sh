# mc_shards.sh: 4 shards run as separate processes and merged give exactly
# the runs file, sidecar and summary of the unsharded batch; merge names gaps,
# duplicates and mismatches.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
args=(--runs 150 --seed 5 --sweep scale=1,10 --threads 2 -q)
"$DETENTE" mc "$S" "${args[@]}" --out "$TMP/all.csv" --summary "$TMP/all.json"
pids=()
for k in 1 2 3 4; do
  "$DETENTE" mc "$S" "${args[@]}" --shard $k/4 --out "$TMP/shard$k.csv" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a shard failed"; done
"$DETENTE" merge "$TMP"/shard{3,1,4,2}.csv --out "$TMP/merged.csv" --summary "$TMP/merged.json" -q
same "$TMP/all.csv" "$TMP/merged.csv" "merged runs file"
same "$TMP/all.csv.meta.json" "$TMP/merged.csv.meta.json" "merged sidecar"
same "$TMP/all.json" "$TMP/merged.json" "merged summary"
# the merge prints the summary too
"$DETENTE" merge "$TMP"/shard{1,2,3,4}.csv > "$TMP/merge.out"
grep -q "^sweep points compared" "$TMP/merge.out" || die "merge printed no summary"

expect_fail 5 "runs are missing: 3 \(shard 4/4\)" -- "$DETENTE" merge "$TMP"/shard{1,2,3}.csv
expect_fail 5 "run 1 appears twice: in .*shard2.csv and in .*shard2.csv" -- "$DETENTE" merge "$TMP"/shard{1,2,2,3,4}.csv
"$DETENTE" mc "$S" --runs 150 --seed 6 --sweep scale=1,10 -q --shard 4/4 --out "$TMP/other.csv"
expect_fail 5 "not shards of one batch: the master seed differs" -- "$DETENTE" merge "$TMP"/shard{1,2,3}.csv "$TMP/other.csv"
head -c 3000 "$TMP/shard4.csv" > "$TMP/cut.csv"
cp "$TMP/shard4.csv.meta.json" "$TMP/cut.csv.meta.json"
expect_fail 5 "cut.csv(: row [0-9]+ .*cut short| has [0-9]+ rows but its sidecar says)" -- "$DETENTE" merge "$TMP"/shard{1,2,3}.csv "$TMP/cut.csv"
sed 's/"detente": "[^"]*"/"detente": "0.0.1"/' "$TMP/shard4.csv.meta.json" > "$TMP/old.csv.meta.json"; cp "$TMP/shard4.csv" "$TMP/old.csv"
expect_fail 5 "written by detente 0.0.1" -- "$DETENTE" merge "$TMP"/shard{1,2,3}.csv "$TMP/old.csv"
# rows out of run order inside a shard (edited): refused, not silently reordered
python3 - "$TMP/shard2.csv" "$TMP/swap.csv" <<'PY'
import sys
recs, cur = [], ""
for line in open(sys.argv[1], newline=""):
    cur += line
    if cur.count('"') % 2 == 0:
        recs.append(cur); cur = ""
recs[1], recs[2] = recs[2], recs[1]
open(sys.argv[2], "w", newline="").write("".join(recs))
PY
cp "$TMP/shard2.csv.meta.json" "$TMP/swap.csv.meta.json"
expect_fail 5 "swap.csv: row 2: run 1 comes after run 5 \(rows out of order" -- "$DETENTE" merge "$TMP"/shard{1,3,4}.csv "$TMP/swap.csv"
# A row whose seed is not the one the master seed gives (edited, or from
# another batch) is named.
awk -F, 'BEGIN { OFS = "," } NR == 3 { $2 = "s12345" } { print }' "$TMP/shard2.csv" > "$TMP/badseed.csv"
cp "$TMP/shard2.csv.meta.json" "$TMP/badseed.csv.meta.json"
expect_fail 5 "badseed.csv: run [0-9]+ has seed s12345, but the batch's master seed gives s[0-9]+" -- \
  "$DETENTE" merge "$TMP"/shard{1,3,4}.csv "$TMP/badseed.csv"
cp "$TMP/shard4.csv" "$TMP/nometa.csv"
expect_fail 3 "cannot read .*nometa.csv.meta.json" -- "$DETENTE" merge "$TMP/nometa.csv"
expect_fail 3 "cannot read the runs file" -- "$DETENTE" merge "$TMP/nope.csv"
echo "ok: 4 shards merge byte for byte; gaps, duplicates and mismatches are named"
