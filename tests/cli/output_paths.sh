#!/usr/bin/env bash
# output_paths.sh: no command writes over a file it reads or over another of
# its outputs. Before, `mc x.lua --out x.lua` emptied the scenario before
# reading it, `run x.lua --log x.lua` and `mc --summary x.lua` replaced it,
# `--out r.csv --db r.csv` left a database where the runs file was (exit 0),
# `merge s1.csv s2.csv --out s1.csv` truncated a shard it was reading. Each is
# refused as a usage error (exit 2) naming both options, and nothing is
# written; a link to the input counts as the input.
source "$(dirname "$0")/data/mc_lib.sh"
cat > "$TMP/x.lua" <<'LUA'
scenario { title = "paths", start = "2026-01-01", stop = "2026-01-02" }
outcome("o", function() return 1 end)
LUA
cp "$TMP/x.lua" "$TMP/orig.lua"
ln -s x.lua "$TMP/link.lua"
cd "$TMP"
intact() { cmp -s x.lua orig.lua || die "$1: the scenario was changed"; }
expect_fail 2 "--out 'x.lua' is the same file as the scenario" -- "$DETENTE" mc x.lua --runs 2 -q --out x.lua
intact "mc --out"
expect_fail 2 "--summary 'x.lua' is the same file as the scenario" -- "$DETENTE" mc x.lua --runs 2 -q --summary x.lua
intact "mc --summary"
expect_fail 2 "--log './link.lua' is the same file as the scenario" -- "$DETENTE" run x.lua --log ./link.lua
intact "run --log through a link"
expect_fail 2 "--html 'x.lua' is the same file as the scenario" -- "$DETENTE" run "$TMP/x.lua" --html x.lua
intact "run --html"
expect_fail 2 "--db '.*r.csv' is the same file as --out \(another output\)" -- \
  "$DETENTE" mc x.lua --runs 2 -q --out r.csv --db "$TMP/r.csv"
[ ! -e r.csv ] || die "mc wrote r.csv"
for k in 1 2; do "$DETENTE" mc x.lua --runs 4 --shard $k/2 -q --out s$k.csv; done
cp s1.csv s1.orig
expect_fail 2 "--out 's1.csv' is the same file as a shard" -- "$DETENTE" merge s1.csv s2.csv --out s1.csv -q
cmp -s s1.csv s1.orig || die "merge changed a shard"
"$DETENTE" merge s1.csv s2.csv --out m.csv --summary m.json -q || die "a good merge failed"
expect_fail 2 "--html 'm.json' is the same file as the input" -- "$DETENTE" report m.json --html m.json
expect_fail 2 "--journal 'x.lua' is the same file as the scenario" -- \
  "$DETENTE" serve x.lua --journal x.lua --listen 127.0.0.1:0 --no-console
intact "serve --journal"
echo "output_paths: ok"
