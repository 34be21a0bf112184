#!/usr/bin/env bash
# run_all.sh: the whole suite, as `make test` and `make check` run it.
#  - tests/unit/test_*.c      cmocka binaries, one process each, with a time limit
#  - tests/lua/*.lua          API tests: scenarios that raise on a failed check
#  - tests/scenarios/*.lua    whole scenarios; output must equal <name>.expected
#  - tests/hostile/*.lua      attacks on the sandbox, each with its expected outcome
#  - tests/cli/*.sh           the command as a user runs it
# Prints one line per test and closes with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DETENTE=${DETENTE:-$PWD/$BUILD/detente}
DETENTE_STDLIB=${DETENTE_STDLIB:-$PWD/stdlib}
export DETENTE BUILD DETENTE_STDLIB NO_COLOR=1
pass=0; fail=0; failed=()
tmo() { timeout --kill-after=5 "$@"; }
ok() { pass=$((pass+1)); printf 'ok    %s\n' "$1"; }
ko() { fail=$((fail+1)); failed+=("$1"); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /' | head -40; }

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name="unit/$(basename "$t")"
  if out=$(tmo 300 "$t" 2>&1); then ok "$name"; else ko "$name" "$out"; fi
done

for t in tests/lua/*.lua; do
  [ -e "$t" ] || continue
  if out=$(tmo 120 "$DETENTE" run --quiet "$t" 2>&1); then ok "lua/$(basename "$t")"; else ko "lua/$(basename "$t")" "$out"; fi
done

for t in tests/scenarios/*.lua; do
  [ -e "$t" ] || continue
  exp="${t%.lua}.expected"
  args=()
  [ -f "${t%.lua}.args" ] && read -r -a args < "${t%.lua}.args"
  out=$(tmo 120 "$DETENTE" run "$t" "${args[@]}" 2>&1)
  if [ ! -f "$exp" ]; then ko "scenarios/$(basename "$t")" "missing $exp"; continue; fi
  if d=$(diff -u "$exp" <(printf '%s\n' "$out")); then ok "scenarios/$(basename "$t")"; else ko "scenarios/$(basename "$t")" "$d"; fi
done

# Hostile scenarios: each header states exit code, message, time and memory bounds.
for t in tests/hostile/*.lua; do
  [ -e "$t" ] || continue
  if out=$(bash tests/hostile/run_one.sh "$t" 2>&1); then ok "hostile/$(basename "$t")"; else ko "hostile/$(basename "$t")" "$out"; fi
done

for t in tests/cli/*.sh; do
  [ -e "$t" ] || continue
  if out=$(tmo 600 bash "$t" 2>&1); then ok "cli/$(basename "$t")"; else ko "cli/$(basename "$t")" "$out"; fi
done

echo
[ "$fail" -gt 0 ] && printf 'failed: %s\n' "${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
