# mc_progress.sh: --progress off a terminal writes whole lines (runs done,
# rate, ETA) for logs such as Slurm's; without it a log gets no progress.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
"$DETENTE" mc "$S" --runs 400 --threads 1 --progress 0.01 --out "$TMP/a.csv" >/dev/null 2>"$TMP/err"
grep -Eq '^detente mc: 400/400 runs \(100\.0%\), [0-9]+ runs/s, [0-9.]+s elapsed, ETA 0s$' "$TMP/err" \
  || { cat "$TMP/err" >&2; die "no final progress line"; }
! grep -q $'\r' "$TMP/err" || die "a log must not get carriage returns"
"$DETENTE" mc "$S" --runs 400 --threads 1 --out "$TMP/b.csv" >/dev/null 2>"$TMP/err"
! grep -q "runs/s, " "$TMP/err" || die "progress lines without --progress"
cmp -s "$TMP/a.csv" "$TMP/b.csv" || die "--progress changed the runs file"
"$DETENTE" mc "$S" --runs 50 --progress -q --out "$TMP/c.csv" 2>"$TMP/err" >/dev/null
[ ! -s "$TMP/err" ] || die "--quiet must silence --progress"
expect_fail 2 "--progress expects seconds" -- "$DETENTE" mc "$S" --runs 5 --progress 0
echo "ok: progress lines for logs"
