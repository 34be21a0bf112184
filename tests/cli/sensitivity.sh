# sensitivity.sh: `detente sensitivity` end to end: the Sobol indices of the
# Ishigami function (a scenario) come out near their known values, one at a
# time gives the exact swings of a linear model, results do not depend on
# the threads, and `report` draws them (checked in Chromium).
source "$(dirname "$0")/data/mc_lib.sh"
"$DETENTE" sensitivity "$DATA/ishigami.lua" --runs 1 --samples 4000 --bootstrap 50 --no-oat --threads 2 \
  --json "$TMP/ish.json" -q
python3 - "$TMP/ish.json" <<'PY' || die "Sobol indices of Ishigami"
import json, sys
r = json.load(open(sys.argv[1]))
got = {p["name"]: p for p in r["sobol"]["outcomes"]["f"]["params"]}
s1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
st = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
for n in s1:
    assert abs(got[n]["S1"] - s1[n]) < 0.05, (n, "S1", got[n]["S1"], s1[n])
    assert abs(got[n]["ST"] - st[n]) < 0.05, (n, "ST", got[n]["ST"], st[n])
    lo, hi = got[n]["ST_ci95"]
    assert lo <= got[n]["ST"] <= hi, (n, lo, hi)
assert r["sobol"]["runs"] == 4000 * 5
PY
cat > "$TMP/linear.lua" <<'LUA'
scenario { title = "linear", start = "2026-01-01", stop = "2026-01-02" }
param("a", 0.5, { min = 0, max = 1 })
param("b", dist.uniform(0, 10), "sampled, range from its distribution")
param("c", 3, "no range: not varied")
outcome("y", function() return 2 * param.a + param.b + param.c end)
outcome("noisy", function() return param.a + rng.normal(0, 0.1) end)
LUA
"$DETENTE" sensitivity "$TMP/linear.lua" --runs 2 --samples 256 --threads 1 --json "$TMP/lin1.json" > "$TMP/out"
"$DETENTE" sensitivity "$TMP/linear.lua" --runs 2 --samples 256 --threads 2 --json "$TMP/lin2.json" -q
same "$TMP/lin1.json" "$TMP/lin2.json" "sensitivity with 1 and 2 threads"
grep -q "one at a time (5 points)" "$TMP/out" || die "no one-at-a-time table"
python3 - "$TMP/lin1.json" <<'PY' || die "one-at-a-time swings of a linear model"
import json, sys
r = json.load(open(sys.argv[1]))
assert [p["name"] for p in r["params"]] == ["a", "b"], r["params"]
y = r["oat"]["outcomes"]["y"]
assert y["base"] == 2 * 0.5 + 5 + 3, y["base"]
sw = {p["name"]: p for p in y["params"]}
assert sw["a"]["at_min"] == 8 and sw["a"]["at_max"] == 10 and sw["a"]["swing"] == 2, sw["a"]
assert sw["b"]["at_min"] == 4 and sw["b"]["at_max"] == 14 and sw["b"]["swing"] == 10, sw["b"]
idx = {p["name"]: p for p in r["sobol"]["outcomes"]["y"]["params"]}
assert idx["b"]["ST"] > 0.8 and idx["a"]["ST"] < 0.15, idx   # Var(b) = 100/12 dwarfs Var(2a) = 4/12
PY
"$DETENTE" sensitivity "$TMP/linear.lua" --runs 2 --samples 0 -D a=0.3 --json "$TMP/fixed.json" -q
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert [p['name'] for p in r['params']] == ['b'] and 'sobol' not in r" "$TMP/fixed.json" \
  || die "-D fixes a param: it is not varied"
"$DETENTE" report "$TMP/lin1.json" --html "$TMP/lin1.html" -q
/usr/bin/python3 "$HERE/../report_check.py" "${REPORT_SHOTS:-$TMP}" "$TMP/lin1.html" "$TMP/lin1.json" >/dev/null \
  || die "the sensitivity report does not render"
# the page prints each Sobol index as the terminal does (3 decimals)
idx=$(awk '/^Sobol indices/ { on = 1; next }
  on { for (i = 1; i < NF; i++) if ($i == "first" || $i == "total") print $(i + 1) }' "$TMP/out")
[ "$(wc -w <<<"$idx")" -ge 8 ] || die "no Sobol indices on the terminal: $(cat "$TMP/out")"
for v in $idx; do
  grep -Eq ">(first|total) $v<" "$TMP/lin1.html" || die "the report lacks the terminal's index $v"
done
printf 'scenario { title = "flat", start = "2026-01-01", stop = "2026-01-02" }\nparam("k", 3)\noutcome("y", function() return param.k end)\n' > "$TMP/flat.lua"
expect_fail 2 "no param has a range" -- "$DETENTE" sensitivity "$TMP/flat.lua" --runs 1
expect_fail 2 "nothing to do" -- "$DETENTE" sensitivity "$TMP/linear.lua" --no-oat --samples 0
# a whole param (dist.int, or a whole default with whole bounds) is varied
# over whole numbers only: this scenario fails any run where one is not
cat > "$TMP/whole.lua" <<'LUA'
scenario { title = "whole", start = "2026-01-01", stop = "2026-01-02" }
param("k", dist.int(1, 6), "whole numbers")
param("m", 4, { min = 2, max = 9 })
param("x", 0.5, { min = 0, max = 1 })
if param.k % 1 ~= 0 or param.m % 1 ~= 0 then error("a whole param got " .. param.k .. ", " .. param.m) end
outcome("y", function() return param.k + param.m + param.x end)
LUA
"$DETENTE" sensitivity "$TMP/whole.lua" --runs 1 --samples 64 --threads 2 --json "$TMP/whole.json" -q
python3 - "$TMP/whole.json" <<'PY' || die "a whole param was given a fraction"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["oat"]["failed"] == 0 and r["sobol"]["failed"] == 0, (r["oat"]["failed"], r["sobol"]["failed"])
assert r["oat"]["outcomes"]["y"]["base"] == 4 + 4 + 0.5, r["oat"]["outcomes"]["y"]  # k: 3.5 rounded
PY
echo "ok: sensitivity: Ishigami's indices, exact tornado swings, thread-independent, drawn"
