# mc_badargs.sh: bad command lines get a clear message and a non-zero exit.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
expect_fail 2 "-D nope: the scenario declares no param 'nope'" -- "$DETENTE" mc "$S" --runs 5 -D nope=1
expect_fail 2 "-D scale=big: expected a number" -- "$DETENTE" mc "$S" --runs 5 -D scale=big
expect_fail 2 "--shard 5/4: K must be between 1 and M" -- "$DETENTE" mc "$S" --runs 5 --shard 5/4
expect_fail 2 "--shard 0/4: K must be between 1 and M" -- "$DETENTE" mc "$S" --runs 5 --shard 0/4
expect_fail 2 "--shard expects K/M" -- "$DETENTE" mc "$S" --runs 5 --shard 2
expect_fail 3 "nope.lua: cannot open the scenario file" -- "$DETENTE" mc "$TMP/nope.lua" --runs 5
expect_fail 2 "--runs N is required" -- "$DETENTE" mc "$S"
expect_fail 2 "--runs expects a whole number from 1 to 2\^40" -- "$DETENTE" mc "$S" --runs 0
expect_fail 2 "--threads expects" -- "$DETENTE" mc "$S" --runs 5 --threads many
expect_fail 2 "unknown option '--bogus'" -- "$DETENTE" mc "$S" --runs 5 --bogus
expect_fail 3 "cannot write the runs file" -- "$DETENTE" mc "$S" --runs 5 --out "$TMP/no/such/dir.csv"
printf 'scenario { start = "2026-01-01", stop = "2026-02-01" }\noutcome("x", function( return 1 end)\n' > "$TMP/syntax.lua"
expect_fail 1 "syntax.lua:2:" -- "$DETENTE" mc "$TMP/syntax.lua" --runs 5
expect_fail 2 "unknown option" -- "$DETENTE" merge --bogus
"$DETENTE" mc --help | grep -q "usage: detente mc" || die "mc --help"
"$DETENTE" merge --help | grep -q "usage: detente merge" || die "merge --help"
echo "ok: bad arguments"
