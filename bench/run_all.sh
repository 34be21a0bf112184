#!/usr/bin/env bash
# run_all.sh: every benchmark; each prints its own medians, then a summary of
# the figures issue 10 asks for (toy ratios, flagship runs/s at 1 and 2
# threads and their ratio, the fixed cost of a run, core dispatch) with the
# machine's load before and after, since a shared machine skews them all.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export DETENTE=${DETENTE:-$PWD/$BUILD/detente}
export BENCH_SUMMARY
BENCH_SUMMARY=$(mktemp); OUT=$(mktemp); trap 'rm -f "$BENCH_SUMMARY" "$OUT"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
load0=$(load); t0=$(date +%s)
for b in "$BUILD"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" | tee "$OUT"
  grep '^core dispatch' "$OUT" >> "$BENCH_SUMMARY"
done
for b in bench/*.sh; do [ -e "$b" ] && [ "$(basename "$b")" != run_all.sh ] && { echo "== $(basename "$b")"; bash "$b"; }; done
echo
echo "== summary (medians; CPU time unless marked wall; load average $load0 at start, $(load) at end, $(( $(date +%s) - t0 )) s)"
cat "$BENCH_SUMMARY"
exit 0
