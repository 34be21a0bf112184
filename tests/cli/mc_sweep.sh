# mc_sweep.sh: --sweep forms a grid; each point has its own runs, a point
# column and a summary section; malformed sweeps are usage errors.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
"$DETENTE" mc "$S" --runs 10 --sweep scale=0:1:0.25 --sweep label=x,y -q --out "$TMP/g.csv" --summary "$TMP/g.json"
[ "$(tail -n +2 "$TMP/g.csv" | grep -c ',ok,')" -eq 100 ] || die "5 x 2 points x 10 runs should be 100 rows"
# first sweep outermost: run 0-9 point 0 (0, x), 10-19 point 1 (0, y), 20-29 point 2 (0.25, x)
awk -F, 'NR > 1 && $1 == 25 { exit !($3 == 2 && $5 == 0.25 && $6 == "x") } ' "$TMP/g.csv" || die "run 25 should be point 2 with scale=0.25, label=x"
awk -F, 'NR > 1 && $1 == 99 { exit !($3 == 9 && $5 == 1 && $6 == "y") } ' "$TMP/g.csv" || die "run 99 should be point 9 with scale=1, label=y"
grep -q '"scale": 0.75' "$TMP/g.json" || die "summary lacks the sweep point scale=0.75"
"$DETENTE" mc "$S" --runs 3 --sweep scale=1,2 > "$TMP/table" 2>/dev/null
# several points: one comparison table, a row per point, instead of a full summary per point
[ "$(grep -cE '^  [12] scale=[12] +3 ' "$TMP/table")" -eq 2 ] || die "the comparison table lacks a row per point"
# sweep values print as every number a person reads does (dt_fmt_show): 2, not the JSON real 2.0
! grep -qE 'scale=[0-9]+\.0( |$)' "$TMP/table" || die "a swept whole number is labelled N.0: $(grep -m1 scale= "$TMP/table")"
"$DETENTE" mc "$S" --runs 3 --sweep scale=30 > "$TMP/one" 2>/dev/null
grep -qx 'point 1 of 1: scale=30' "$TMP/one" || die "one point should be headed 'point 1 of 1: scale=30': $(grep -m1 '^point' "$TMP/one")"
! grep -q '^point [12] of 2' "$TMP/table" || die "several points still get a full summary each"
# and a table comparing the points: a row per point, a column per outcome
grep -A3 '^sweep points compared' "$TMP/table" > "$TMP/cmp"
grep -Eq '^  point +ok +yes +size +early +late +word +maybe$' "$TMP/cmp" || die "no comparison table header"
grep -Eq '^  1 scale=1 +3 +p [01]\.[0-9]{3} ' "$TMP/cmp" || die "no comparison row for point 1"
grep -Eq '^  2 scale=2 +3 ' "$TMP/cmp" || die "no comparison row for point 2"
expect_fail 2 "malformed|expected name=a:b:step" -- "$DETENTE" mc "$S" --runs 5 --sweep scale
expect_fail 2 "step must be > 0" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=1:2:0
expect_fail 2 "must be numbers" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=1:x:1
expect_fail 2 "b must not be below a" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=3:1:1
expect_fail 2 "an empty value" -- "$DETENTE" mc "$S" --runs 5 --sweep label=a,,b
expect_fail 2 "given twice" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=1,2 --sweep scale=3
expect_fail 2 "both swept" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=1,2 -D scale=3
expect_fail 2 "--sweep nope: the scenario declares no param 'nope' \(declared: p_yes scale label\)" -- "$DETENTE" mc "$S" --runs 5 --sweep nope=1,2
expect_fail 2 "expected a number" -- "$DETENTE" mc "$S" --runs 5 --sweep scale=a,b
# Every sweep point is set up before the batch starts, so a bad value at a
# later point is a usage error naming it too, and nothing is written.
expect_fail 2 "^detente mc: --sweep scale: the value 'big' \(sweep point 2 of 2\): expected a number" -- \
  "$DETENTE" mc "$S" --runs 5 --sweep scale=1,big --out "$TMP/bad.csv"
[ ! -e "$TMP/bad.csv" ] || die "a usage error must not leave a runs file"
expect_fail 2 "--sweep scale: the value 'oops' \(sweep point 3 of 6\): expected a number" -- \
  "$DETENTE" mc "$S" --runs 5 --sweep label=x,y --sweep scale=1,2,oops
C="$DATA/mc_columns.lua"
expect_fail 2 "--sweep share: the value '1.5' \(sweep point 3 of 3\) is outside its range" -- \
  "$DETENTE" mc "$C" --runs 5 --sweep share=0.5:1.5:0.5
expect_fail 2 "^detente mc: -D share=2 is outside its range" -- "$DETENTE" mc "$C" --runs 5 -D share=2
# a param that only some points declare cannot be swept at the others
expect_fail 2 "--sweep bonus: the scenario declares no param 'bonus' at sweep point 3 of 4" -- \
  "$DETENTE" mc "$C" --runs 5 --sweep variant=b,a --sweep bonus=1,2
echo "ok: sweeps"
