# mc_lhs.sh: --sample lhs draws a Latin hypercube: at every sweep point, each
# param with a distribution or a declared min/max takes each of N equally
# likely strata exactly once in the point's N runs; the batch is the same for
# any threads, shards and a resume, and follows the seed.
source "$(dirname "$0")/data/mc_lib.sh"
PY=${PYTHON:-/usr/bin/python3}
S="$DATA/mc_lhs.lua"
args=(--runs 40 --sweep level=1,2 --sample lhs)
"$DETENTE" mc "$S" "${args[@]}" --threads 1 -q --out "$TMP/a.csv" --summary "$TMP/a.json"
"$PY" - "$TMP/a.csv" <<'PYEOF' || die "the runs are not a Latin hypercube"
import csv, math, sys
from statistics import NormalDist
rows = list(csv.DictReader(open(sys.argv[1])))
N = 40
assert len(rows) == 2 * N, len(rows)
def gamma2_cdf(x):   # shape 2, scale 3
    y = x / 3
    return 1 - math.exp(-y) * (1 + y)
def beta25_cdf(x):   # I_x(2, 5) = 1 - sum_{j<2} C(6, j) x^j (1 - x)^(6 - j)
    return 1 - sum(math.comb(6, j) * x**j * (1 - x)**(6 - j) for j in range(2))
def tri_cdf(x):      # lo 0, mode 1, hi 4
    return x * x / 4 if x < 1 else 1 - (4 - x)**2 / 12
cdfs = {
    "u": lambda x: (x - 2) / 4, "n": NormalDist(10, 2).cdf, "g": gamma2_cdf,
    "b": beta25_cdf, "t": tri_cdf, "e": lambda x: 1 - math.exp(-x / 5),
    "r": lambda x: x / 8,
}
for point in ("0", "1"):
    pr = [r for r in rows if r["point"] == point]
    assert len(pr) == N
    for name, cdf in cdfs.items():
        strata = sorted(math.floor(cdf(float(r[name])) * N) for r in pr)
        assert strata == list(range(N)), (point, name, strata)
    for name in ("k", "w"):   # 40 whole numbers in 40 runs: each once
        assert sorted(int(r[name]) for r in pr) == list(range(1, N + 1)), (point, name)
    assert all(r["fixed"] == "7" for r in pr)
    # the strata's order differs between params (not one shared permutation)
    assert [r["k"] for r in pr] != [r["w"] for r in pr]
# the two points are two hypercubes, run by run their own draws
assert [r["u"] for r in rows[:N]] != [r["u"] for r in rows[N:]]
PYEOF
grep -q '"sample": "lhs"' "$TMP/a.csv.meta.json" || die "the sidecar does not say lhs"
grep -q '"sample": "lhs"' "$TMP/a.json" || die "the summary does not say lhs"
# the same for any number of threads
"$DETENTE" mc "$S" "${args[@]}" --threads 3 -q --out "$TMP/t.csv" --summary "$TMP/t.json"
same "$TMP/a.csv" "$TMP/t.csv" "runs file with 1 and 3 threads"
same "$TMP/a.json" "$TMP/t.json" "summary with 1 and 3 threads"
# in shards, merged
for k in 1 2 3; do
  "$DETENTE" mc "$S" "${args[@]}" --shard $k/3 --threads 2 -q --out "$TMP/s$k.csv"
done
"$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" "$TMP/s3.csv" --out "$TMP/m.csv" --summary "$TMP/m.json" -q
same "$TMP/a.csv" "$TMP/m.csv" "merged shards"
same "$TMP/a.json" "$TMP/m.json" "summary of the merged shards"
# resumed after a torn row
cp "$TMP/a.csv" "$TMP/r.csv"; truncate -s 9000 "$TMP/r.csv"
sed 's/"rows": [0-9]*/"rows": 0/; s/"errors": [0-9]*/"errors": 0/' "$TMP/a.csv.meta.json" > "$TMP/r.csv.partial.json"
"$DETENTE" mc "$S" --resume "$TMP/r.csv" --summary "$TMP/r.json" -q
same "$TMP/a.csv" "$TMP/r.csv" "resumed runs file"
same "$TMP/a.json" "$TMP/r.json" "resumed summary"
# another seed, another hypercube; --sample random is the default
"$DETENTE" mc "$S" "${args[@]}" --seed 2 -q --out "$TMP/b.csv"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && die "another seed gave the same runs"
"$DETENTE" mc "$S" --runs 40 --sweep level=1,2 -q --out "$TMP/d.csv"
"$DETENTE" mc "$S" --runs 40 --sweep level=1,2 --sample random -q --out "$TMP/rr.csv"
same "$TMP/d.csv" "$TMP/rr.csv" "--sample random and the default"
grep -q '"sample"' "$TMP/d.csv.meta.json" && die "a random batch's sidecar names a sample"
# random draws are not stratified: with 40 runs some stratum of u is missed
"$PY" -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["point"] == "0"]
assert len({int((float(r["u"]) - 2) / 4 * 40) for r in rows}) < 40' "$TMP/d.csv" ||
  die "random draws hit every stratum: the check above could not fail"
# shards of a random and an lhs batch do not merge
"$DETENTE" mc "$S" --runs 40 --sweep level=1,2 --shard 1/3 -q --out "$TMP/x1.csv"
expect_fail 5 "sampling \(--sample\)" -- "$DETENTE" merge "$TMP/x1.csv" "$TMP/s2.csv" "$TMP/s3.csv" --out "$TMP/x.csv"
expect_fail 2 "--sample expects random or lhs, got 'sobol'" -- "$DETENTE" mc "$S" --runs 4 --sample sobol
expect_fail 2 "--sample lhs and --fork-at" -- "$DETENTE" mc "$S" --runs 4 --sample lhs --fork-at 2026-01-10
expect_fail 2 "the batch's settings come from" -- "$DETENTE" mc "$S" --resume "$TMP/r.csv" --sample lhs
echo "ok mc_lhs"
