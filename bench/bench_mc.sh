#!/usr/bin/env bash
# bench_mc.sh: `detente mc` throughput on the flagship scenario (or the
# mc test scenario if the flagship is missing): runs/s at 1 and 2 threads
# (median of 3), the parallel efficiency, and the peak resident memory of
# batches of 10^4 and 10^5 runs (the summary keeps 8 bytes per outcome per
# run; everything else must not grow with the number of runs).
# Environment: DETENTE, MC_SCENARIO, MC_RUNS (throughput runs, default 2000),
# MC_BIG (largest memory batch, default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
DETENTE=${DETENTE:-$PWD/build/detente}
S=${MC_SCENARIO:-scripts/new_start_2026.lua}
[ -f "$S" ] || S=tests/cli/data/mc_basic.lua
RUNS=${MC_RUNS:-2000}
BIG=${MC_BIG:-100000}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

"$DETENTE" mc "$S" --runs 20 --threads 1 --quiet >/dev/null || { echo "bench_mc: $S does not run" >&2; exit 1; }
echo "scenario: $S, $RUNS runs per trial"
declare -A rate
for t in 1 2; do
  ts=()
  for i in 1 2 3; do ts+=("$(secs "$DETENTE" mc "$S" --runs "$RUNS" --threads $t --seed $i --quiet)"); done
  m=$(median3 "${ts[@]}")
  rate[$t]=$(echo "$RUNS / $m" | bc -l)
  printf 'threads %d: %8.0f runs/s (median of 3: %.3fs)\n' $t "${rate[$t]}" "$m"
done
sp=$(echo "${rate[2]} / ${rate[1]}" | bc -l)
printf 'speed-up 2 vs 1 thread: %.2fx, parallel efficiency %.0f%% (aim: >= 1.8x)\n' "$sp" "$(echo "$sp * 50" | bc -l)"

# The fixed cost of a run of the engine itself, for comparison: an empty scenario.
printf 'scenario { start = "2026-01-01", stop = "2026-01-02" }\noutcome("x", function() return 1 end)\n' > "$TMP/empty.lua"
te=$(secs "$DETENTE" mc "$TMP/empty.lua" --runs 20000 --threads 1 --quiet)
printf 'empty scenario: %8.0f runs/s (fixed per-run cost %.1f us)\n' "$(echo "20000 / $te" | bc -l)" "$(echo "$te / 20000 * 1000000" | bc -l)"

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
for n in 10000 "$BIG"; do
  kb=$(rss "$DETENTE" mc "$S" --runs "$n" --threads 2 --quiet --out "$TMP/runs.csv" --summary "$TMP/sum.json")
  cols=$(( $(grep -c '"types"' "$TMP/runs.csv.meta.json") + $(grep -c '"sampled": true' "$TMP/runs.csv.meta.json") ))
  printf 'peak RSS, %6d runs: %7.1f MiB (values kept for the summary, %d per run: %.1f MiB)\n' "$n" \
    "$(echo "$kb / 1024" | bc -l)" "$cols" "$(echo "$n * ($cols * 8 + 1) / 1048576" | bc -l)"
done
