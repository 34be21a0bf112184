# mc_fork.sh: --fork-at DATE: every run shares the history drawn from the
# master seed up to DATE (the same as `detente run --seed MASTER`), then goes
# its own way.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
"$DETENTE" mc "$S" --runs 50 --seed 3 --fork-at 2026-06-01 -q --out "$TMP/f.csv" --summary "$TMP/f.json"
# columns: run,seed,p_yes,scale,label,yes,size,early,late,...; lines that
# continue a quoted value (a newline inside) start otherwise and are skipped
rows() { grep -E '^[0-9]+,s[0-9]+,' "$TMP/f.csv"; }
[ "$(rows | cut -d, -f3 | sort -u | wc -l)" -eq 1 ] || die "the sampled param should be shared before the fork"
[ "$(rows | cut -d, -f8 | sort -u | wc -l)" -eq 1 ] || die "the draw of 1 March should be shared"
[ "$(rows | cut -d, -f9 | sort -u | wc -l)" -gt 40 ] || die "the draw of 1 September should differ between runs"
early=$(rows | sed -n 1p | cut -d, -f8)
want=$("$DETENTE" run --seed 3 --quiet "$S" | awk '$1 == "early" { print $2 }')
awk -v a="$early" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }' ||
  die "the shared history should be that of detente run --seed 3 (early $want, got $early)"
grep -q '"fork_at": "2026-06-01"' "$TMP/f.json" || die "summary lacks fork_at"
# forked batches shard and merge like any other
for k in 1 2; do "$DETENTE" mc "$S" --runs 50 --seed 3 --fork-at 2026-06-01 -q --shard $k/2 --out "$TMP/s$k.csv"; done
"$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" -q --out "$TMP/m.csv"
same "$TMP/f.csv" "$TMP/m.csv" "forked batch merged"
expect_fail 2 "--fork-at expects a date" -- "$DETENTE" mc "$S" --runs 5 --fork-at soon
expect_fail 2 "outside the scenario \(2026-01-01 to 2026-12-31\)" -- "$DETENTE" mc "$S" --runs 5 --fork-at 2030-01-01
echo "ok: fork-at"
