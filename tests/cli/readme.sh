#!/usr/bin/env bash
# readme.sh: the short scenario in README.md runs and prints exactly the output
# shown beside it, so the README never drifts from the program.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk '/^```lua$/{on=1; next} on && /^```$/{exit} on' README.md > "$tmp/offer.lua"
awk '/^\$ build\/detente run offer.lua$/{on=1; next} on && /^```$/{exit} on' README.md > "$tmp/expected"
[ -s "$tmp/offer.lua" ] && [ -s "$tmp/expected" ] || { echo "readme.sh: cannot find the example in README.md"; exit 1; }
(cd "$tmp" && NO_COLOR=1 "$DETENTE" run offer.lua) > "$tmp/got"
diff -u "$tmp/expected" "$tmp/got" || { echo "readme.sh: README.md's example output is out of date"; exit 1; }
echo "readme.sh: the README example runs as shown"
