#!/usr/bin/env bash
# score.sh: `detente score` computes Brier and log scores by hand-checkable
# arithmetic, reports numbers and dates by where the observation falls, counts
# only runs with status ok, and refuses files that do not fit.
set -u
cd "$(dirname "$0")/../.."
D=${DETENTE:-build/detente}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "score.sh: $*"; exit 1; }
# Four ok runs and one error run (ignored): yes 3 of 4; category a,a,b,NA; a number; a date.
cat > "$tmp/runs.csv" <<'CSV'
run,seed,yes,cat,num,when,status,error
0,s1,TRUE,a,10,2019-02-02,ok,NA
1,s2,TRUE,a,20,2019-03-01,ok,NA
2,s3,FALSE,b,30,NA,ok,NA
3,s4,TRUE,NA,40,2019-01-01,ok,NA
4,s5,FALSE,b,50,2019-01-01,error,"boom"
CSV
cat > "$tmp/obs.csv" <<'CSV'
outcome,value,as_of,source
yes,TRUE,2020-01-01,test
cat,a,2020-01-01,test
num,25,2020-01-01,test
when,2019-02-02,2020-01-01,test
CSV
out=$("$D" score "$tmp/runs.csv" --observed "$tmp/obs.csv" --json "$tmp/s.json") || fail "score failed: $out"
python3 - "$tmp/s.json" <<'PY' || exit 1
import json, math, sys
s = json.load(open(sys.argv[1]))
assert s["runs"] == 4, s
o = {e["outcome"]: e for e in s["outcomes"]}
y = o["yes"]   # p = 0.75; Brier over both answers: (0.75-1)^2 + (0.25-0)^2 = 0.125
assert y["kind"] == "boolean" and abs(y["p"] - 0.75) < 1e-12 and abs(y["brier"] - 0.125) < 1e-12, y
assert abs(y["log"] + math.log(0.75)) < 1e-12 and y["ref_brier"] == 0.5 and abs(y["ref_log"] - math.log(2)) < 1e-12, y
c = o["cat"]   # a 0.5, b 0.25, NA 0.25 -> (0.5-1)^2 + 0.25^2 + 0.25^2 = 0.375; K = 3
assert c["kind"] == "category" and abs(c["brier"] - 0.375) < 1e-12 and c["categories"] == 3, c
assert abs(c["ref_brier"] - 2 / 3) < 1e-12 and abs(c["ref_log"] - math.log(3)) < 1e-12, c
n = o["num"]
assert n["kind"] == "number" and n["share_at_or_below"] == 0.5, n
w = o["when"]
assert w["kind"] == "date" and w["share_at_or_below"] == 0.5 and w["share_missing"] == 0.25, w
ov = s["overall"]
assert ov["scored"] == 2 and abs(ov["brier"] - 0.25) < 1e-12 and abs(ov["brier_skill"] - (1 - 0.25 / ((0.5 + 2/3) / 2))) < 1e-12, ov
PY
grep -q "2 outcomes scored" <<<"$out" || fail "no overall line: $out"
# shares print as the summary and the report print them: 50%, not 50.0%
[ "$(grep -c '; 50% of runs at or before/below it$' <<<"$out")" -eq 2 ] || fail "num and when should print 50%: $out"
grep -q ' 25% of runs have no value' <<<"$out" || fail "when should print 25% missing: $out"
! grep -q '\.0%' <<<"$out" || fail "a share printed as N.0%: $out"
# A probability of 0 is kept away from -ln 0: 1/(2N).
printf 'outcome,value\nyes,FALSE\n' > "$tmp/o2.csv"
sed 's/FALSE,b,30/TRUE,b,30/' "$tmp/runs.csv" > "$tmp/r2.csv"
"$D" score "$tmp/r2.csv" --observed "$tmp/o2.csv" --json "$tmp/s2.json" >/dev/null || fail "score r2"
python3 -c "import json,math,sys; e=json.load(open('$tmp/s2.json'))['outcomes'][0]; assert e['p']==0 and abs(e['log']+math.log(1/8))<1e-12, e" || exit 1
# Files that do not fit.
printf 'outcome,value\nnope,TRUE\n' > "$tmp/o3.csv"
"$D" score "$tmp/runs.csv" --observed "$tmp/o3.csv" >/dev/null 2>"$tmp/err"; [ $? -eq 5 ] || fail "unknown outcome must exit 5"
grep -q "observed outcome 'nope' is not a column" "$tmp/err" || fail "message for an unknown outcome"
"$D" score "$tmp/runs.csv" --observed "$tmp/missing.csv" >/dev/null 2>&1; [ $? -eq 3 ] || fail "a missing file must exit 3"
"$D" score "$tmp/runs.csv" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no --observed must exit 2"
"$D" score "$tmp/runs.csv" --observed "$tmp/obs.csv" --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "an unknown option must exit 2"
printf 'run,seed,yes,status,error\n0,s1,TRUE,error,x\n' > "$tmp/r4.csv"
"$D" score "$tmp/r4.csv" --observed "$tmp/o2.csv" >/dev/null 2>&1; [ $? -eq 5 ] || fail "no ok run must exit 5"
# Observations that do not fit their outcome (before, each was scored: 'status'
# and 'run' as outcomes, a yes/no 'maybe' or a number '1e999' as a category no
# run had, an outcome observed twice counted twice).
refuse() {   # refuse CSV-BODY MESSAGE
  printf 'outcome,value\n%b' "$1" > "$tmp/o5.csv"
  "$D" score "$tmp/runs.csv" --observed "$tmp/o5.csv" >/dev/null 2>"$tmp/err"
  [ $? -eq 5 ] || fail "'$1' must exit 5"
  grep -qF -- "$2" "$tmp/err" || fail "'$1': no message '$2': $(cat "$tmp/err")"
}
refuse 'status,ok\n' "o5.csv: row 1: 'status' is a column every runs file has, not an outcome"
refuse 'run,3\n' "'run' is a column every runs file has"
refuse 'yes,maybe\n' "row 1: 'yes' is a yes/no outcome, observed 'maybe' (TRUE or FALSE?)"
refuse 'num,1e999\n' "'num' is a number (or date) outcome, observed '1e999', which is not a finite"
refuse 'yes,TRUE\nyes,FALSE\n' "row 2: outcome 'yes' is observed twice"
# one category in all: the reference is perfect, and there is no skill to give (was -nan)
printf 'run,seed,k,status,error\n0,s1,a,ok,NA\n1,s2,a,ok,NA\n' > "$tmp/r6.csv"
printf 'outcome,value\nk,a\n' > "$tmp/o6.csv"
out=$("$D" score "$tmp/r6.csv" --observed "$tmp/o6.csv" --json "$tmp/s6.json") || fail "score r6"
grep -q "no Brier skill: the reference is perfect" <<<"$out" || fail "r6: $out"
python3 -c "import json; o=json.load(open('$tmp/s6.json'))['overall']; assert 'brier_skill' in o and o['brier_skill'] is None, o" || exit 1
# End to end: the INF scenario's batch against what happened.
"$D" mc scripts/inf_2019.lua --runs 200 --threads 2 -q --out "$tmp/inf.csv" || fail "mc inf"
out=$("$D" score "$tmp/inf.csv" --observed scripts/observed/inf_2019.csv) || fail "score inf"
grep -q "outcomes scored" <<<"$out" || fail "inf: $out"
echo "score.sh: ok"
