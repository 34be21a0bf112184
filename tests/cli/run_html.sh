# run_html.sh: `detente run --html` writes one run as one self-contained page:
# a swimlane chart with a mark per event (as many as the event log has), one
# chart per metric the treaties limit, params, outcomes and every event. It
# renders in headless Chromium (not blank, the expected <svg> count), parses
# with html5lib in strict mode, fetches nothing, and is the same bytes for
# the same run. A failed run still gets its page, with the error.
source "$(dirname "$0")/data/mc_lib.sh"
ROOT=$(cd "$HERE/../../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
SHOTS=${REPORT_SHOTS:-$TMP}
F=$ROOT/scripts/new_start_2026.lua
"$DETENTE" run "$F" --seed 7 -D us_violates=true -q --html "$TMP/run.html" --log "$TMP/run.jsonl" >/dev/null
events=$(grep -c '"seq":' "$TMP/run.jsonl")
marks=$(grep -o '<circle class="ev"' "$TMP/run.html" | wc -l)
[ "$events" -gt 20 ] || die "the flagship run has only $events events"
[ "$marks" -eq "$events" ] || die "the swimlanes show $marks events, the log has $events"
# a lane per state (and one for events no state made), with its count of events
for s in USA RUS; do
  n=$(grep -c "\"by\":\"$s\"" "$TMP/run.jsonl")
  grep -q ">$s ($n)</text>" "$TMP/run.html" || die "lane $s should count $n events"
done
n=$(grep -c '"by":null' "$TMP/run.jsonl")
grep -q ">world ($n)</text>" "$TMP/run.html" || die "the world lane should count $n events"
# New START limits three metrics: a chart each, with its limit drawn
for m in deployed_warheads deployed_launchers total_launchers; do
  grep -q "<h3>$m</h3>" "$TMP/run.html" || die "no chart of $m"
done
for l in 1550 700 800; do grep -q "New START limit $l<" "$TMP/run.html" || die "limit $l not drawn"; done
grep -q 'detente run [^<]*new_start_2026.lua --seed 7 -D us_violates=true</pre>' "$TMP/run.html" ||
  die "no reproduction line"
grep -q '<td><code>us_violates</code></td><td class="n">true</td>' "$TMP/run.html" || die "params table"
grep -q '<td><code>limits_hold_2027</code></td>' "$TMP/run.html" || die "outcomes table"
"$DETENTE" run "$F" --seed 7 -D us_violates=true -q --html "$TMP/again.html" >/dev/null
same "$TMP/run.html" "$TMP/again.html" "the page of the same run"
# a run that fails: its page says so, exit 1 as without --html
expect_fail 1 "fails here on purpose" -- "$DETENTE" run "$DATA/run_html_fail.lua" --html "$TMP/err.html"
grep -q "The run failed:" "$TMP/err.html" || die "a failed run's page does not say it failed"
grep -q "fails here on purpose" "$TMP/err.html" || die "a failed run's page lacks the error"
expect_fail 3 "cannot write the page" -- "$DETENTE" run "$F" --html "$TMP/no/such/dir.html"
# 1 swimlane chart + 3 limit charts; the failed run: swimlanes and its one limit
"$PY" "$HERE/../report_check.py" "$SHOTS" --run "$TMP/run.html" 4 --run "$TMP/err.html" 2 ||
  die "the pages do not render as they should"
echo "ok: run --html draws every event in its lane and the limits, and renders"
