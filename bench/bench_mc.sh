#!/usr/bin/env bash
# bench_mc.sh: `detente mc` throughput on the flagship scenario (or the
# mc test scenario if the flagship is missing): runs/s at 1 and 2 threads,
# the parallel efficiency, and the peak resident memory of batches of 10^4
# and 10^5 runs (the summary keeps 8 bytes per outcome and per sampled param
# per run, and a status byte; nothing else may grow with the number of runs).
#
# A fair speed-up on a shared machine: every trial runs the same batch (same
# seed, so the same work; seeds differ in run length by 10% and more), the 1-
# and 2-thread trials alternate in pairs (ABBA), so drift in the machine's
# speed hits both alike, and the figure is the median of the pairs' ratios.
# It is given twice: for the whole process (start-up, probe and summary
# included) and for the batch phase alone (mc's own "runs in" line). The CPU
# time per run at 2 threads against 1 shows what running in parallel costs;
# the share of CPU time the hypervisor stole says how far to trust it all.
# Environment: DETENTE, MC_SCENARIO, MC_RUNS (runs per trial, default 2000),
# MC_PAIRS (pairs of trials, default 5), MC_BIG (largest memory batch,
# default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
DETENTE=${DETENTE:-$PWD/build/detente}
S=${MC_SCENARIO:-scripts/new_start_2026.lua}
[ -f "$S" ] || S=tests/cli/data/mc_basic.lua
RUNS=${MC_RUNS:-2000}
PAIRS=${MC_PAIRS:-5}
BIG=${MC_BIG:-100000}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
stolen() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t }' /proc/stat; }

# One trial: prints "wall batch cpu" in seconds.
trial() {
  /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$DETENTE" mc "$S" --runs "$RUNS" --threads "$1" --seed 1 \
    >/dev/null 2>"$TMP/err"
  local batch
  batch=$(sed -n 's/^detente mc: [0-9]* runs in \([0-9.]*\)s.*/\1/p' "$TMP/err")
  awk -v b="$batch" '{ printf "%s %s %.3f\n", $1, b, $2 + $3 }' "$TMP/time"
}

"$DETENTE" mc "$S" --runs 20 --threads 1 --quiet >/dev/null || { echo "bench_mc: $S does not run" >&2; exit 1; }
echo "scenario: $S, $RUNS runs per trial (seed 1), $PAIRS pairs of trials at 1 and 2 threads"
read -r st0 tt0 < <(stolen)
w1=(); w2=(); b1=(); b2=(); c1=(); c2=(); rw=(); rb=()
for ((i = 0; i < PAIRS; i++)); do
  if ((i % 2 == 0)); then read -r wa ba ca < <(trial 1); read -r wb bb cb < <(trial 2)
  else read -r wb bb cb < <(trial 2); read -r wa ba ca < <(trial 1); fi
  w1+=("$wa"); w2+=("$wb"); b1+=("$ba"); b2+=("$bb"); c1+=("$ca"); c2+=("$cb")
  rw+=("$(calc "$wa / $wb")"); rb+=("$(calc "$ba / $bb")")
done
read -r st1 tt1 < <(stolen)
S_OUT=${BENCH_SUMMARY:-/dev/null}
for t in 1 2; do
  declare -n W=w$t B=b$t C=c$t
  printf 'threads %d: %6.0f runs/s (batch phase %6.0f runs/s; median wall %.3fs), CPU %.0f us per run = %.0f runs/s per core\n' $t \
    "$(calc "$RUNS / $(median "${W[@]}")")" "$(calc "$RUNS / $(median "${B[@]}")")" "$(median "${W[@]}")" \
    "$(calc "$(median "${C[@]}") / $RUNS * 1000000")" "$(calc "$RUNS / $(median "${C[@]}")")"
  printf 'flagship, %d thread%s: %5.0f runs/s wall (whole process), %5.0f runs/s batch phase; CPU %.0f us per run = %.0f runs/s per core%s\n' \
    $t "$([ $t = 1 ] && echo ' ' || echo s)" "$(calc "$RUNS / $(median "${W[@]}")")" \
    "$(calc "$RUNS / $(median "${B[@]}")")" "$(calc "$(median "${C[@]}") / $RUNS * 1000000")" \
    "$(calc "$RUNS / $(median "${C[@]}")")" "$([ $t = 1 ] && echo ' (aim >= 1000 runs/s)' || true)" >> "$S_OUT"
done
sp=$(median "${rw[@]}"); spb=$(median "${rb[@]}")
printf 'speed-up 2 vs 1 thread: %.2fx (pairs %s to %s), parallel efficiency %.0f%%; batch phase alone %.2fx (aim: >= 1.8x)\n' \
  "$sp" "$(printf '%s\n' "${rw[@]}" | sort -g | head -1 | xargs printf '%.2f')" \
  "$(printf '%s\n' "${rw[@]}" | sort -g | tail -1 | xargs printf '%.2f')" "$(calc "$sp * 50")" "$spb"
printf 'flagship, 2 threads vs 1:  %.2fx wall (whole process), %.2fx batch phase (aim >= 1.8x)\n' "$sp" "$spb" >> "$S_OUT"
printf 'CPU per run at 2 threads vs 1: %+.1f%%\n' "$(calc "($(median "${c2[@]}") / $(median "${c1[@]}") - 1) * 100")"
steal=$(calc "($st1 - $st0) * 100 / ($tt1 - $tt0 + 1)")
printf 'stolen by the hypervisor meanwhile: %.1f%% of CPU time%s\n' "$steal" \
  "$(awk -v s="$steal" 'BEGIN { if (s > 5) print " (high: the figures above are unreliable)" }')"

# The fixed cost of a run of the engine itself, for comparison: an empty scenario
# (wall clock, and CPU time, which a shared machine's load does not inflate as much).
printf 'scenario { start = "2026-01-01", stop = "2026-01-02" }\noutcome("x", function() return 1 end)\n' > "$TMP/empty.lua"
/usr/bin/time -f '%e %U %S' -o "$TMP/time" "$DETENTE" mc "$TMP/empty.lua" --runs 20000 --threads 1 --quiet >/dev/null
read -r te tu ts < "$TMP/time"
printf 'empty scenario: %8.0f runs/s (fixed per-run cost %.1f us wall, %.1f us CPU)\n' "$(calc "20000 / $te")" \
  "$(calc "$te / 20000 * 1000000")" "$(calc "($tu + $ts) / 20000 * 1000000")"
printf 'empty scenario: fixed cost %.1f us CPU per run\n' "$(calc "($tu + $ts) / 20000 * 1000000")" >> "$S_OUT"

# Peak memory: what grows from 10^4 to 10^5 runs must be the values kept.
declare -A kb kept
for n in 10000 "$BIG"; do
  /usr/bin/time -f '%M' -o "$TMP/time" "$DETENTE" mc "$S" --runs "$n" --threads 2 --quiet \
    --out "$TMP/runs.csv" --summary "$TMP/sum.json" >/dev/null
  kb[$n]=$(cat "$TMP/time")
  cols=$(( $(grep -c '"types"' "$TMP/runs.csv.meta.json") + $(grep -c '"sampled": true' "$TMP/runs.csv.meta.json") ))
  kept[$n]=$(( n * (cols * 8 + 1) ))
  printf 'peak RSS, %6d runs: %7.1f MiB (values kept for the summary, %d per run: %.1f MiB)\n' "$n" \
    "$(calc "${kb[$n]} / 1024")" "$cols" "$(calc "${kept[$n]} / 1048576")"
done
grow=$(calc "(${kb[$BIG]} - ${kb[10000]}) / 1024")
allow=$(calc "(${kept[$BIG]} - ${kept[10000]}) / 1048576")
printf 'growth 10^4 -> %d runs: %.1f MiB; values kept grew %.1f MiB; beyond them: %+.1f MiB (aim: <= 0)\n' \
  "$BIG" "$grow" "$allow" "$(calc "$grow - $allow")"
