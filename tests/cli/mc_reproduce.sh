# mc_reproduce.sh: the seed printed in a row reproduces that run with
# `detente run --seed S` (sampled params included), also at a sweep point.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
"$DETENTE" mc "$S" --runs 30 --seed 99 --sweep scale=3,30 -q --out "$TMP/runs.csv"
# python-free CSV reading: the columns used here never need quotes
for run in 7 41; do
  row=$(awk -F, -v r=$run '$1 == r' "$TMP/runs.csv")
  [ -n "$row" ] || die "no row for run $run"
  IFS=, read -r idx seed point p_yes scale label yes size early late _ <<<"$row"
  out=$("$DETENTE" run --seed "$seed" -D scale="$scale" --quiet "$S")
  val() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$out"; }
  [ "$(val yes)" = "${yes,,}" ] || die "run $run: yes is $(val yes) in detente run, $yes in the CSV"
  for k in p_yes size early late; do
    a=$(val $k); b=${!k}
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * (1 + (b < 0 ? -b : b))) }' ||
      die "run $run: $k is $a in detente run, $b in the CSV"
  done
done
echo "ok: rows reproduce with detente run --seed"
