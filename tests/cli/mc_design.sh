# mc_design.sh: --design points.csv runs an external design: every row is a
# point with N runs, exactly as a sweep over the same values would run them;
# shards of a design merge; bad designs are usage errors naming row and param.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
printf 'scale\n1\n10\n' > "$TMP/d.csv"
"$DETENTE" mc "$S" --runs 40 --seed 2 --design "$TMP/d.csv" -q --out "$TMP/d_runs.csv" --summary "$TMP/d.json"
"$DETENTE" mc "$S" --runs 40 --seed 2 --sweep scale=1,10 -q --out "$TMP/s_runs.csv"
same "$TMP/d_runs.csv" "$TMP/s_runs.csv" "a one-column design and the sweep over its values"
grep -q '"design"' "$TMP/d.json" || die "the summary does not name the design"
# two columns (quoted values too), sharded and merged
printf 'p_yes,scale\n0.2,1\n0.5,"5"\n\n0.8,10\n' > "$TMP/d2.csv"
"$DETENTE" mc "$S" --runs 30 --design "$TMP/d2.csv" -q --out "$TMP/all.csv" --summary "$TMP/all.json"
[ "$(grep -c ',ok,' "$TMP/all.csv")" -eq 90 ] || die "3 design rows x 30 runs"
for k in 1 2; do "$DETENTE" mc "$S" --runs 30 --design "$TMP/d2.csv" -q --shard $k/2 --out "$TMP/sh$k.csv"; done
"$DETENTE" merge "$TMP"/sh{1,2}.csv -q --out "$TMP/m.csv" --summary "$TMP/m.json"
same "$TMP/all.csv" "$TMP/m.csv" "merged design shards"
same "$TMP/all.json" "$TMP/m.json" "merged design summary"
# rank correlations over all points include the design's (and a sweep's) params
python3 - "$TMP/all.json" "$TMP/d.json" <<'PY' || die "rank correlations of varied params"
import json, sys
a = json.load(open(sys.argv[1]))["varied_rank_correlation"]
assert a["p_yes"]["yes"] > 0.2, a          # yes ~ bernoulli(p_yes): 0.2, 0.5, 0.8
assert a["scale"]["size"] > 0.8, a         # size ~ normal(scale, 2): 1, 5, 10
assert abs(a["scale"]["early"]) < 0.3, a   # early does not depend on either
d = json.load(open(sys.argv[2]))["varied_rank_correlation"]
assert d["scale"]["size"] > 0.8, d
PY
printf 'p_yes,scale\n0.2,1\n0.9,20\n' > "$TMP/d3.csv"
"$DETENTE" mc "$S" --runs 30 --design "$TMP/d3.csv" -q --shard 2/2 --out "$TMP/other.csv"
expect_fail 5 "the design \(--design\) differs" -- "$DETENTE" merge "$TMP/sh1.csv" "$TMP/other.csv"
# bad designs
printf 'p_yes\n0.2\n1.7\n' > "$TMP/bad.csv"
cat > "$TMP/ranged.lua" <<'LUA'
scenario { title = "ranged", start = "2026-01-01", stop = "2026-02-01" }
param("p_yes", 0.5, { doc = "a chance", min = 0, max = 1 })
outcome("x", function() return param.p_yes end)
LUA
expect_fail 2 "--design: param p_yes, the value '1.7' \(row 2 of 2\) is outside its range" -- \
  "$DETENTE" mc "$TMP/ranged.lua" --runs 5 --design "$TMP/bad.csv"
printf 'nope\n1\n' > "$TMP/unknown.csv"
expect_fail 2 "--design: the scenario declares no param 'nope'" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/unknown.csv"
printf 'p_yes,scale\n0.2\n' > "$TMP/ragged.csv"
expect_fail 2 "row 1 has 1 values, the header 2 params" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/ragged.csv"
printf 'p_yes\n' > "$TMP/empty.csv"
expect_fail 2 "no rows" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/empty.csv"
expect_fail 2 "give one or the other" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/d.csv" --sweep scale=1,2
expect_fail 2 "both in the design" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/d.csv" -D scale=3
expect_fail 3 "cannot read" -- "$DETENTE" mc "$S" --runs 5 --design "$TMP/none.csv"
echo "ok: designs run like sweeps, shard, merge and are checked"
