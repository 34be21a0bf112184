#!/usr/bin/env bash
# run_all.sh: the whole suite, as `make test` and `make check` run it.
#  - tests/unit/test_*.c      cmocka binaries, one process each, with a time limit
#  - tests/lua/*.lua          API tests: scenarios that raise on a failed check
#  - tests/scenarios/*.lua    whole scenarios; output must equal <name>.expected
#    (or <name>.script: the path of a scenario kept elsewhere, e.g. the flagship)
#  - tests/hostile/*.lua      attacks on the sandbox, each with its expected outcome
#  - tests/cli/*.sh           the command as a user runs it; exit 77 = skipped
#                              (the test prints "skip: REASON" as its last line)
#  - schemas/json             every JSON file and session message the tests made
#                              detente write, validated against docs/schema
#  - ci/no_skips              under CI (CI set), fails if anything was skipped:
#                              CI installs everything (make deps), so nothing may be
# Prints one line per test and closes with "N passed, N failed, N skipped".
# DETENTE_TESTS="unit/test_queue cli/mc_*.sh ..." runs only the tests named
# (glob patterns; make mutants uses it), without the schema and CI steps.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DETENTE=${DETENTE:-$PWD/$BUILD/detente}
DETENTE_STDLIB=${DETENTE_STDLIB:-$PWD/stdlib}
# Debian's python3 (with pandas and jsonschema from make deps), even when
# another python3 comes first in PATH.
DETENTE_PY=${DETENTE_PY:-$([ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)}
# JSON written during the tests is collected here (tests/lib/detente-rec and
# serve_lib.py) and validated at the end.
DETENTE_JSON_SEEN=$PWD/$BUILD/json-seen
rm -rf "$DETENTE_JSON_SEEN"; mkdir -p "$DETENTE_JSON_SEEN"
DETENTE_REAL=$DETENTE
sed -e "s|@REAL@|$DETENTE_REAL|" -e "s|@SEEN@|$DETENTE_JSON_SEEN|" tests/lib/detente-rec > "$BUILD/detente-rec"
chmod +x "$BUILD/detente-rec"
DETENTE=$PWD/$BUILD/detente-rec
export DETENTE DETENTE_REAL DETENTE_JSON_SEEN DETENTE_PY BUILD DETENTE_STDLIB NO_COLOR=1
pass=0; fail=0; skip=0; failed=(); skipped=()
tmo() { timeout --kill-after=5 "$@"; }
ok() { pass=$((pass+1)); printf 'ok    %s\n' "$1"; }
ko() { fail=$((fail+1)); failed+=("$1"); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /' | head -40; }
only=${DETENTE_TESTS:-}
want() {
  [ -z "$only" ] && return 0
  local p
  for p in $only; do [[ $1 == $p ]] && return 0; done
  return 1
}
sk() { skip=$((skip+1)); skipped+=("$1"); printf 'skip  %s: %s\n' "$1" "$(printf '%s\n' "$2" | grep -m1 '^skip' | sed 's/^skip:* *//')"; }

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name="unit/$(basename "$t")"
  want "$name" || continue
  if out=$(tmo 300 "$t" 2>&1); then ok "$name"; else ko "$name" "$out"; fi
done

for t in tests/lua/*.lua; do
  [ -e "$t" ] || continue
  want "lua/$(basename "$t")" || continue
  if out=$(tmo 120 "$DETENTE" run --quiet "$t" 2>&1); then ok "lua/$(basename "$t")"; else ko "lua/$(basename "$t")" "$out"; fi
done

# A <name>.script file names a scenario kept elsewhere (the flagship in
# scripts/), so the golden test runs the real file, not a copy.
for t in tests/scenarios/*.lua tests/scenarios/*.script; do
  [ -e "$t" ] || continue
  t=${t%.script}; t=${t%.lua}
  src=$t.lua
  [ -f "$t.script" ] && src=$(cat "$t.script")
  want "scenarios/$(basename "$src")" || continue
  exp="$t.expected"
  args=()
  [ -f "$t.args" ] && read -r -a args < "$t.args"
  out=$(tmo 120 "$DETENTE" run "$src" "${args[@]}" 2>&1)
  name="scenarios/$(basename "$src")"
  if [ ! -f "$exp" ]; then ko "$name" "missing $exp"; continue; fi
  if d=$(diff -u "$exp" <(printf '%s\n' "$out")); then ok "$name"; else ko "$name" "$d"; fi
done

# Hostile scenarios: each header states exit code, message, time and memory bounds.
for t in tests/hostile/*.lua; do
  [ -e "$t" ] || continue
  want "hostile/$(basename "$t")" || continue
  if out=$(bash tests/hostile/run_one.sh "$t" 2>&1); then ok "hostile/$(basename "$t")"; else ko "hostile/$(basename "$t")" "$out"; fi
done
# The fuzz harnesses: each corpus once, then a short smoke (built by make test
# when clang is there; make check builds its own sanitizers, so it skips them).
want "fuzz/run.sh" && case "$BUILD" in *san*) ;; *)
  out=$(tmo 300 bash tests/fuzz/run.sh 2>&1); rc=$?
  if [ $rc = 0 ]; then ok "fuzz/run.sh"; elif [ $rc = 77 ]; then sk "fuzz/run.sh" "$out"; else ko "fuzz/run.sh" "$out"; fi ;;
esac

for t in tests/hostile/*.sh; do
  [ "$(basename "$t")" = run_one.sh ] && continue
  want "hostile/$(basename "$t")" || continue
  if out=$(tmo 600 bash "$t" 2>&1); then ok "hostile/$(basename "$t")"; else ko "hostile/$(basename "$t")" "$out"; fi
done

for t in tests/cli/*.sh; do
  [ -e "$t" ] || continue
  want "cli/$(basename "$t")" || continue
  out=$(tmo 600 bash "$t" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then ok "cli/$(basename "$t")"
  elif [ $rc -eq 77 ]; then sk "cli/$(basename "$t")" "$out"
  else ko "cli/$(basename "$t")" "$out"; fi
done

if [ -z "$only" ]; then
  if out=$("$DETENTE_PY" -B tests/lib/json_check.py "$DETENTE_JSON_SEEN" 2>&1); then ok "schemas/json ($(tail -1 <<<"$out"))"
  else ko "schemas/json" "$out"; fi
fi

case "${only:+filtered}${CI:-}" in ""|0|false|filtered*) ;; *)
  if [ "$skip" -eq 0 ]; then ok "ci/no_skips"; else ko "ci/no_skips" "CI has everything installed, yet skipped: ${skipped[*]}"; fi ;;
esac

echo
[ "$fail" -gt 0 ] && printf 'failed: %s\n' "${failed[*]}"
[ "$skip" -gt 0 ] && printf 'skipped: %s\n' "${skipped[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
