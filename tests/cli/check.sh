#!/usr/bin/env bash
# check.sh: `detente check`. Every file in tests/cli/check/ is a scenario; its
# header says what check must print: "-- expect-exit: N", "-- expect: text"
# (each must appear in the report) and "-- expect-problems: N" (the count).
# Then usage errors, every shipped script and example (all must be clean),
# and the report being the same twice.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0; n=0
for f in tests/cli/check/*.lua; do
  n=$((n+1))
  args=$(sed -n 's/^-- args: //p' "$f")
  want=$(sed -n 's/^-- expect-exit: //p' "$f")
  # shellcheck disable=SC2086
  out=$(timeout 60 "$DETENTE" check $args "$f" 2>&1); code=$?
  if [ "$code" != "$want" ]; then echo "$f: exit $code, expected $want"; echo "$out" | head -8; fails=$((fails+1)); continue; fi
  while IFS= read -r line; do
    if ! grep -qF -- "$line" <<<"$out"; then echo "$f: report lacks: $line"; echo "$out" | head -12; fails=$((fails+1)); fi
  done < <(sed -n 's/^-- expect: //p' "$f")
  np=$(sed -n 's/^-- expect-problems: //p' "$f")
  if [ -n "$np" ] && ! grep -qF "detente check: $np problem" <<<"$out"; then
    echo "$f: expected $np problems"; echo "$out" | tail -3; fails=$((fails+1))
  fi
  grep -q "Segmentation\|Aborted\|AddressSanitizer\|runtime error" <<<"$out" && { echo "$f: crashed"; fails=$((fails+1)); }
done

# expect CODE "text" -- command...
expect() {
  local want=$1 text=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local code=$?
  if [ "$code" != "$want" ]; then echo "FAIL: $* -> exit $code, expected $want"; head -5 "$tmp/err" "$tmp/out"; fails=$((fails+1)); return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/err" "$tmp/out"; then
    echo "FAIL: $* -> output lacks: $text"; head -5 "$tmp/err" "$tmp/out"; fails=$((fails+1))
  fi
}
c=tests/cli/check/clean.lua
expect 0 "usage: detente check FILE" -- "$DETENTE" check --help
expect 2 "usage: detente check FILE" -- "$DETENTE" check
expect 2 "--seeds expects a whole number from 1 to 1000, got '0'" -- "$DETENTE" check $c --seeds 0
expect 2 "unknown option '--seed'" -- "$DETENTE" check $c --seed 3
expect 2 "--until expects a date" -- "$DETENTE" check $c --until soon
expect 2 "-D nope: the scenario declares no param 'nope'" -- "$DETENTE" check $c -D nope=1
expect 3 "cannot open the scenario file" -- "$DETENTE" check "$tmp/missing.lua"
expect 0 "is clean (setup and 2 smoke runs)" -- "$DETENTE" check $c --seeds 2
expect 1 "syntax_error.lua:" -- "$DETENTE" check tests/cli/errors/syntax_error.lua

# A refused s:move is a finding with its call's line; accepted moves are none.
"$DETENTE" check tests/cli/check/move_ok.lua >"$tmp/out" 2>&1
grep -q "was refused" "$tmp/out" && { echo "FAIL: move_ok.lua reports a refusal"; cat "$tmp/out"; fails=$((fails+1)); }

# Every shipped script and example passes.
for f in scripts/*.lua examples/*.lua; do
  expect 0 "is clean" -- "$DETENTE" check "$f"
done

# The same report twice (no dependence on table order).
f=tests/cli/check/many_problems.lua
"$DETENTE" check "$f" >"$tmp/a" 2>&1; "$DETENTE" check "$f" >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b" || { echo "FAIL: two checks of $f differ"; diff "$tmp/a" "$tmp/b" | head; fails=$((fails+1)); }

echo "check.sh: $n scenarios, $fails failures"
[ "$fails" -eq 0 ]
