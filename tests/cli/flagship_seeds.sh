#!/bin/sh
# tests/cli/flagship_seeds.sh: runs the flagship (scripts/new_start_2026.lua) for
# 1,000 seeds and checks that every run ends without an error, that no count is
# negative, that neither side exceeds a limit while the treaty or a pledge binds it
# (unless a violation param says so), and that different seeds tell different stories.
#
#   sh tests/cli/flagship_seeds.sh [RUNS]        (default 1000; DETENTE=path/to/detente)
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${DETENTE:-build/detente}
RUNS=${1:-1000}
SCRIPT=scripts/new_start_2026.lua
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

[ -x "$BIN" ] || { echo "flagship_seeds: $BIN not found (run make)"; exit 2; }

# One line per run: "seed rc name=value name=value ...", two runs at a time.
export BIN SCRIPT TMP
seq 1 "$RUNS" | xargs -P 2 -I{} sh -c '
  out=$("$BIN" run "$SCRIPT" --quiet --seed "$1" 2>"$TMP/err.$1"); rc=$?
  printf "%s %s %s\n" "$1" "$rc" "$(printf "%s\n" "$out" |
    awk "/^outcomes/{f=1;next} f&&NF{printf \"%s=%s \", \$1, \$2}")"
' sh {} > "$TMP/runs.txt"

fail=0
n=$(wc -l < "$TMP/runs.txt")
[ "$n" -eq "$RUNS" ] || { echo "FAIL: $n of $RUNS runs reported"; fail=1; }

bad=$(awk '$2 != 0 {print $1}' "$TMP/runs.txt" | head -5)
if [ -n "$bad" ]; then
  echo "FAIL: runs ended with an error, seeds: $bad"
  for s in $bad; do sed -n 1,5p "$TMP/err.$s"; done
  fail=1
fi

# No negative counts; no breach while bound with the default params.
awk '{
  for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  if (v["min_count"] == "" || v["min_count"] + 0 < 0) print "negative or missing count, seed " $1
  if (v["usa_deployed_warheads"] + 0 < 0 || v["rus_deployed_warheads"] + 0 < 0) print "negative warheads, seed " $1
  if (v["breach_while_bound"] != "false") print "breach while bound, seed " $1
  if (v["limits_hold_2027"] != "true" && v["limits_hold_2027"] != "false") print "no limits outcome, seed " $1
}' "$TMP/runs.txt" > "$TMP/insane.txt"
if [ -s "$TMP/insane.txt" ]; then echo "FAIL: insane outcomes:"; head -5 "$TMP/insane.txt"; fail=1; fi

# Different seeds, different outcomes.
distinct=$(cut -d' ' -f3- "$TMP/runs.txt" | sort -u | wc -l)
[ "$distinct" -ge 10 ] || { echo "FAIL: only $distinct distinct outcome sets in $RUNS runs"; fail=1; }
for k in agreement_kind us_answer limits_hold_2027 arms_race; do
  kinds=$(grep -o "$k=[^ ]*" "$TMP/runs.txt" | sort -u | wc -l)
  [ "$kinds" -ge 2 ] || { echo "FAIL: outcome $k never varies"; fail=1; }
done

# Same seed, same outcomes (determinism across processes).
a=$("$BIN" run "$SCRIPT" --quiet --seed 42)
b=$("$BIN" run "$SCRIPT" --quiet --seed 42)
[ "$a" = "$b" ] || { echo "FAIL: seed 42 gave two different results"; fail=1; }

# The sanity check can fail: with a violation param a breach while bound shows up.
for p in us_violates rus_violates; do
  "$BIN" run "$SCRIPT" --quiet --seed 1 -D "$p=true" | grep -q 'breach_while_bound *true' ||
    { echo "FAIL: -D $p=true does not show a breach while bound"; fail=1; }
done

if [ "$fail" -eq 0 ]; then
  echo "ok: $RUNS flagship runs, $distinct distinct outcome sets"
  for k in agreement_kind limits_hold_2027 arms_race; do
    printf '  %s: %s\n' "$k" "$(grep -o "$k=[^ ]*" "$TMP/runs.txt" | sed "s/$k=//" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
  done
fi
exit "$fail"
