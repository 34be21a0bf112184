#!/usr/bin/env bash
# errors.sh: every file in tests/cli/errors/ is a scenario that must fail.
# Its header says how: "-- args: ..." (extra options), "-- expect-exit: N" and
# one or more "-- expect: text" lines that must appear in stderr.
set -u
cd "$(dirname "$0")/errors"
fails=0; n=0
for f in *.lua; do
  n=$((n+1))
  args=$(sed -n 's/^-- args: //p' "$f")
  want=$(sed -n 's/^-- expect-exit: //p' "$f")
  # shellcheck disable=SC2086
  err=$(timeout 60 "$DETENTE" run $args "$f" 2>&1 >/dev/null); code=$?
  if [ "$code" != "$want" ]; then echo "$f: exit $code, expected $want"; echo "$err" | head -5; fails=$((fails+1)); continue; fi
  while IFS= read -r line; do
    if ! grep -qF -- "$line" <<<"$err"; then echo "$f: stderr lacks: $line"; echo "$err" | head -8; fails=$((fails+1)); fi
  done < <(sed -n 's/^-- expect: //p' "$f")
  # a message never has an empty line (one stood where a missing traceback would be)
  grep -qx "" <<<"$err" && { echo "$f: stderr has an empty line"; echo "$err" | head -8; fails=$((fails+1)); }
  grep -q "Segmentation\|Aborted\|AddressSanitizer\|runtime error" <<<"$err" && { echo "$f: crashed"; fails=$((fails+1)); }
done
echo "errors.sh: $n cases, $fails failures"
[ "$fails" -eq 0 ]
