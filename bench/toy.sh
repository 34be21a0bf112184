#!/usr/bin/env bash
# toy.sh: the toy negotiation model (bench/toy/README.md) in each of its forms,
# side by side: CPU time (user + sys) for TOY_RUNS runs per form, the forms
# run one after another in a different order each round (a Latin rotation),
# so drift in the machine's speed hits all alike; each figure is the median
# over TOY_ROUNDS rounds, and each ratio the median of the per-round ratios.
# Environment: DETENTE, TOY (the C forms' binary), LUA (lua5.4), TOY_RUNS
# (default 300), TOY_ROUNDS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
DETENTE=${DETENTE:-$PWD/build/detente}
TOY=${TOY:-$PWD/build/bench/toy}
LUA=${LUA:-lua5.4}
RUNS=${TOY_RUNS:-300}
ROUNDS=${TOY_ROUNDS:-5}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
command -v "$LUA" >/dev/null || { echo "toy.sh: $LUA not found (make deps installs lua5.4)" >&2; exit 1; }

forms=(analyst fast pure_natural pure pure_records clua c)
declare -A label=(
  [analyst]="détente, as an analyst writes it"
  [fast]="détente, fast form"
  [pure_natural]="pure Lua 5.4, plain (Heap class, records)"
  [pure]="pure Lua 5.4, tuned engine (closures)"
  [pure_records]="pure Lua 5.4, hand-tuned records"
  [clua]="C heap + one lua_pcall per event"
  [c]="plain C")
cmd() {
  case $1 in
    analyst|fast) echo "$DETENTE mc bench/toy/$1.lua --runs $RUNS --threads 1 --quiet" ;;
    pure_natural|pure|pure_records) echo "$LUA bench/toy/$1.lua $RUNS" ;;
    clua|c) echo "$TOY $1 $RUNS" ;;
  esac
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cpu() { /usr/bin/time -f '%U %S' -o "$TMP/time" $(cmd "$1") >"$TMP/out.$1" 2>"$TMP/err.$1" || return 1
        awk '{ printf "%.3f\n", $1 + $2 }' "$TMP/time"; }

# The three forms that share splitmix64 must agree exactly.
for f in pure_natural pure pure_records clua c; do $(cmd "$f") >"$TMP/tot.$f"; done
for f in pure_natural pure_records clua c; do cmp -s "$TMP/tot.pure" "$TMP/tot.$f" || { echo "toy.sh: $f's totals differ from pure.lua's" >&2; exit 1; }; done

# A form this build cannot run is reported and left out.
ok=()
for f in "${forms[@]}"; do
  if cpu "$f" >/dev/null; then ok+=("$f"); else echo "toy.sh: $f fails: $(head -c 300 "$TMP/err.$f")" >&2; fi
done
forms=("${ok[@]}")
declare -A all
for ((r = 0; r < ROUNDS; r++)); do
  n=${#forms[@]}
  for ((k = 0; k < n; k++)); do
    f=${forms[$(((k + r) % n))]}
    all[$f]="${all[$f]:-} $(cpu "$f")"
  done
  declare -A last=()
  for f in "${forms[@]}"; do set -- ${all[$f]}; last[$f]=${!#}; done
  ratio() { [ -n "${last[$1]:-}" ] && [ -n "${last[$2]:-}" ] && awk -v a="${last[$1]}" -v b="${last[$2]}" 'BEGIN { print a / b }' || true; }
  ratios_a+=("$(ratio pure_natural analyst)"); ratios_f+=("$(ratio pure_natural fast)"); ratios_fc+=("$(ratio fast clua)")
  ratios_at+=("$(ratio pure analyst)"); ratios_ft+=("$(ratio pure fast)")
done
echo "toy model: $RUNS runs per form, CPU seconds, median of $ROUNDS rounds ($(sed -n 's/^totals: events \([0-9]*\).*/\1/p' "$TMP/tot.pure") events in pure.lua's runs)"
for f in "${forms[@]}"; do
  m=$(median ${all[$f]})
  printf '  %-42s %7.3f s  %6.0f ns/event\n' "${label[$f]}" "$m" \
    "$(awk -v m="$m" -v r="$RUNS" 'BEGIN { print m / (r * 4875) * 1e9 }')"
done | tee "$TMP/forms"
sed "s/^  /toy, $RUNS runs: /" "$TMP/forms" >> "${BENCH_SUMMARY:-/dev/null}"
show() { local -n R=$2; [ -n "${R[0]}" ] && printf "$1" "$(median "${R[@]}")" || true; }
{
show 'toy, analyst form vs plain pure Lua:      %.2fx faster (aim >= 2)\n' ratios_a
show 'toy, fast form vs plain pure Lua:         %.2fx faster (aim >= 3)\n' ratios_f
show 'toy, fast form vs C heap + Lua call:      %.2fx the time (aim <= 2)\n' ratios_fc
show 'toy, analyst form vs tuned pure Lua:      %.2fx faster\n' ratios_at
show 'toy, fast form vs tuned pure Lua:         %.2fx faster\n' ratios_ft
} | tee -a "${BENCH_SUMMARY:-/dev/null}"
