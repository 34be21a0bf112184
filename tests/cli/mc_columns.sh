# mc_columns.sh: the runs file has one fixed header. A param or outcome that
# only some sweep points declare is a column (NA where undeclared); a run
# that declares one the probe did not see stops the batch with its name, run
# index and seed. Rank correlations with a param missing in some runs are
# over the runs where both have a value.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_columns.lua"
# Seed 1: the first run declares 'sometimes'; only variant b declares 'bonus'
# and 'b_only'.
"$DETENTE" mc "$S" --runs 80 --seed 1 --sweep variant=a,b -q --out "$TMP/r.csv" --summary "$TMP/s.json"
head -1 "$TMP/r.csv" | grep -qx 'run,seed,point,variant,share,late_outcome,x,sometimes,bonus,y,z,big,b_only,status,error' ||
  die "header: $(head -1 "$TMP/r.csv")"
awk -F, 'NR > 1 && $3 == 0 && ($9 != "NA" || $13 != "NA") { bad = 1 } END { exit bad }' "$TMP/r.csv" ||
  die "bonus and b_only should be NA at point 0 (variant a)"
awk -F, 'NR > 1 && $3 == 1 && ($9 == "NA" || $13 == "NA") { bad = 1 } END { exit bad }' "$TMP/r.csv" ||
  die "bonus and b_only should have values at point 1 (variant b)"
"${DETENTE_PY:-python3}" - "$TMP/r.csv" "$TMP/s.json" <<'PY' || die "rank correlations disagree with a direct computation"
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
summ = json.load(open(sys.argv[2]))
assert all(None not in r for r in rows), "ragged rows"
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i]); r = [0.0] * len(v); i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]: j += 1
        for k in range(i, j + 1): r[order[k]] = (i + j + 2) / 2
        i = j + 1
    return r
def rho(x, y):
    if len(x) < 2: return None
    rx, ry = ranks(x), ranks(y); m = (len(x) + 1) / 2
    sxy = sum((a - m) * (b - m) for a, b in zip(rx, ry))
    sxx = sum((a - m) ** 2 for a in rx); syy = sum((b - m) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None
def val(s):
    return {"TRUE": 1.0, "FALSE": 0.0}[s] if s in ("TRUE", "FALSE") else float(s)
checked = 0
for pt in summ["points_summary"]:
    ok = [r for r in rows if int(r["point"]) == pt["point"] and r["status"] == "ok"]
    for p, outs in pt["rank_correlation"].items():
        for o, got in outs.items():
            pairs = [(val(r[p]), val(r[o])) for r in ok if r[p] != "NA" and r[o] != "NA"]
            want = rho([a for a, _ in pairs], [b for _, b in pairs])
            assert (got is None) == (want is None), (pt["point"], p, o, got, want)
            assert got is None or abs(got - want) < 1e-12, (pt["point"], p, o, got, want)
            checked += 1
partial = sum(1 for r in rows if r["sometimes"] == "NA")
assert 0 < partial < len(rows), "some runs but not all should lack 'sometimes'"
assert checked >= 20, checked
PY
# shards agree on the columns and merge to the same bytes
for k in 1 2 3; do "$DETENTE" mc "$S" --runs 80 --seed 1 --sweep variant=a,b -q --shard $k/3 --out "$TMP/s$k.csv"; done
"$DETENTE" merge "$TMP"/s{1,2,3}.csv -q --out "$TMP/m.csv" --summary "$TMP/m.json"
same "$TMP/r.csv" "$TMP/m.csv" "merged runs file"
same "$TMP/s.json" "$TMP/m.json" "merged summary"
# Seed 2: the first run does not declare 'sometimes', run 1 does. A sidecar
# left by an earlier batch goes when the new one starts.
echo '{"stale": true}' > "$TMP/stop.csv.meta.json"
expect_fail 1 "run 1 \(seed [0-9]+\) declares param 'sometimes', which is not a column" -- \
  "$DETENTE" mc "$S" --runs 40 --seed 2 -q --out "$TMP/stop.csv"
grep -q "the batch stopped: .*stop.csv' holds the rows before it and no sidecar" "$TMP/err" || die "no word on the runs file"
[ ! -e "$TMP/stop.csv.meta.json" ] || die "a stopped batch must leave no sidecar (not even an old one)"
# An outcome declared in a hook, after setup, is never seen by the probe.
expect_fail 1 "run 0 \(seed [0-9]+\) declares outcome 'too_late', which is not a column" -- \
  "$DETENTE" mc "$S" --runs 10 -D late_outcome=true -q
echo "ok: fixed columns; undeclared ones stop the batch"
