# report.sh: `detente report` writes one self-contained HTML file from a
# summary or a runs file (the same bytes either way); headless Chromium
# renders it (screenshot not blank, as many <svg> charts as the summary calls
# for) and html5lib parses it without an error (report_check.py).
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
SHOTS=${REPORT_SHOTS:-$TMP}
"$DETENTE" mc "$S" --runs 200 --seed 3 --sweep scale=1,5,10 -q --out "$TMP/sw.csv" --summary "$TMP/sw.json"
"$DETENTE" report "$TMP/sw.json" --html "$TMP/sw.html" 2>"$TMP/err"
grep -Eq "wrote .*sw.html \([0-9]+ charts\)" "$TMP/err" || die "no word on what report wrote"
"$DETENTE" report "$TMP/sw.csv" -q    # default name: sw.html beside it, from the runs file
[ -s "$TMP/sw.html" ] || die "no report"
"$DETENTE" report "$TMP/sw.json" --html "$TMP/from_json.html" -q
same "$TMP/from_json.html" "$TMP/sw.html" "report from the summary and from the runs file"
grep -q 'detente mc mc_basic.lua --runs 200 --seed 3 --sweep scale=1,5,10' "$TMP/sw.html" || die "no reproduction command"
# errors, no sweep
"$DETENTE" mc "$DATA/mc_errors.lua" --runs 60 -q --summary "$TMP/er.json" >/dev/null 2>&1 || true
[ -s "$TMP/er.json" ] || die "no summary with errors"
"$DETENTE" report "$TMP/er.json" --html "$TMP/er.html" -q
grep -q "The first failed runs" "$TMP/er.html" || die "the report does not list failed runs"
expect_fail 5 "not a batch summary" -- "$DETENTE" report "$TMP/sw.csv.meta.json"
expect_fail 3 "cannot read" -- "$DETENTE" report "$TMP/nope.json"
# time series (mc --series): fan charts
"$DETENTE" mc "$DATA/series.lua" --runs 50 -q --series "$TMP/ser.csv" --summary "$TMP/ser.json"
"$DETENTE" report "$TMP/ser.json" --html "$TMP/ser.html" -q
grep -q "<h2>Series</h2>" "$TMP/ser.html" || die "no fan charts for series"
# date outcomes: a date histogram (monthly bins over ~10 months), its bars
# holding every run; params with their docs
"$DETENTE" mc "$DATA/mc_dates.lua" --runs 400 --seed 5 -q --summary "$TMP/dt.json"
"$DETENTE" report "$TMP/dt.json" --html "$TMP/dt.html" -q
grep -q "monthly bins" "$TMP/dt.html" || die "a date outcome should get a monthly date histogram"
grep -q "days over which the date falls (source: made up)" "$TMP/dt.html" || die "params table lacks docs"
grep -q "chance of yes" "$TMP/sw.html" || die "params table lacks docs"
/usr/bin/python3 - "$TMP/dt.html" <<'PYEOF' || die "the date histogram does not hold every run"
import re, sys
text = open(sys.argv[1]).read()
bars = re.findall(r"<title>(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d): (\d+) runs</title>", text)
assert 9 <= len(bars) <= 12, len(bars)
assert sum(int(n) for _, _, n in bars) == 400, bars
assert all(a.endswith("-01") for a, _, _ in bars), bars   # calendar months
PYEOF
/usr/bin/python3 "$HERE/../report_check.py" "$SHOTS" "$TMP/sw.html" "$TMP/sw.json" "$TMP/er.html" "$TMP/er.json" \
  "$TMP/ser.html" "$TMP/ser.json" "$TMP/dt.html" "$TMP/dt.json" \
  || die "the reports do not render as they should"
echo "ok: reports render in Chromium, validate, and draw what the summary holds"
