# mc_csv.sh: the runs file is RFC 4180: awkward strings (commas, quotes,
# newlines, the empty string) are quoted, a missing value is NA,
# and a strict reader gets back what the scenario returned.
source "$(dirname "$0")/data/mc_lib.sh"
"$DETENTE" mc "$DATA/mc_basic.lua" --runs 60 -q --out "$TMP/r.csv" --summary "$TMP/s.json"
grep -q '"comma, inside"' "$TMP/r.csv" || die "a comma inside a value must be quoted"
grep -q '"quote ""inside"""' "$TMP/r.csv" || die "quotes must be doubled inside a quoted field"
grep -q '^line",' "$TMP/r.csv" || die "a newline must stay inside a quoted field"
grep -q ',"",' "$TMP/r.csv" || die "the empty string must be a quoted empty field"
grep -Eq ',NA,ok,NA$' "$TMP/r.csv" || die "a missing outcome (and the error of an ok run) must be NA"
head -1 "$TMP/r.csv" | grep -qx 'run,seed,p_yes,scale,label,yes,size,early,late,word,maybe,status,error' || die "header"
"${DETENTE_PY:-python3}" - "$TMP/r.csv" <<'PY' || die "python's csv module disagrees"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
assert len(rows) == 61, len(rows)
assert all(len(r) == 13 for r in rows), "ragged rows"
words = {r[9] for r in rows[1:]}
assert words <= {"comma, inside", 'quote "inside"', "new\nline", "plain", ""}, words
assert [r[0] for r in rows[1:]] == [str(i) for i in range(60)]
PY
grep -q '"value": "new\\nline"' "$TMP/s.json" || die "the summary counts the newline value"
# the terminal's summary shows the empty string visibly, as its points table does
"$DETENTE" mc "$DATA/mc_basic.lua" --runs 60 --threads 1 --out "$TMP/r2.csv" > "$TMP/sum.txt" 2>/dev/null
grep -Eq '^  word .*(  |, )"" [0-9.]+%' "$TMP/sum.txt" || die "the empty value should print as \"\": $(grep '^  word' "$TMP/sum.txt")"
! grep -Eq '^  word .*,  [0-9.]+%' "$TMP/sum.txt" || die "an empty value prints as nothing: $(grep '^  word' "$TMP/sum.txt")"
echo "ok: CSV quoting"
