#!/usr/bin/env bash
# examples.sh: every example runs and prints exactly its golden timeline
# (tests/golden/examples/<name>.expected). Regenerate one on purpose with
#   build/detente run examples/NAME.lua > tests/golden/examples/NAME.expected
# and review the diff: that diff is the change in behaviour.
set -u
cd "$(dirname "$0")/../.."
fails=0; n=0
for f in examples/*.lua; do
  name=$(basename "$f" .lua)
  exp="tests/golden/examples/$name.expected"
  n=$((n+1))
  if [ ! -f "$exp" ]; then echo "$f: no golden output at $exp"; fails=$((fails+1)); continue; fi
  if ! d=$(diff -u "$exp" <(NO_COLOR=1 timeout 60 "$DETENTE" run "$f" 2>&1)); then
    echo "$f differs from $exp:"; echo "$d" | head -30; fails=$((fails+1))
  fi
done
echo "examples.sh: $n examples, $fails failures"
[ "$n" -ge 3 ] && [ "$fails" -eq 0 ]
