#!/usr/bin/env bash
# run_fork.sh: one run of a forked batch (mc --fork-at) is reproduced exactly by
# `detente run --seed MASTER --fork-at DATE --fork-seed S`, S from its CSV row.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
S=data/random_walk.lua
"$DETENTE" mc "$S" --runs 20 --seed 9 --fork-at 2026-05-01 -q --out "$tmp/f.csv"
python3 - "$tmp/f.csv" > "$tmp/rows" <<'PY'
import csv, sys
for r in list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#')))[5:8]:
    print(r['seed'], r['tension'], r['high'].lower())
PY
[ "$(wc -l < "$tmp/rows")" -eq 3 ] || { echo "run_fork.sh: could not read the runs file"; exit 1; }
while read -r seed tension high; do
  out=$("$DETENTE" run "$S" --seed 9 --fork-at 2026-05-01 --fork-seed "$seed" --quiet)
  got=$(awk '$1 == "tension" { print $2 }' <<<"$out")
  python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(a - b) <= 1e-9 * max(1, abs(a)) else 1)" "$tension" "$got" ||
    { echo "run_fork.sh: fork seed $seed: mc gave tension $tension, run gave $got"; exit 1; }
  grep -q "high *$high" <<<"$out" || { echo "run_fork.sh: fork seed $seed: 'high' differs"; exit 1; }
done < "$tmp/rows"
# Without --fork-seed it is a usage error.
if "$DETENTE" run "$S" --fork-at 2026-05-01 2>"$tmp/err"; then echo "run_fork.sh: --fork-at alone accepted"; exit 1; fi
grep -q "go together" "$tmp/err" || { echo "run_fork.sh: unclear error: $(cat "$tmp/err")"; exit 1; }
echo "run_fork.sh: 3 forked runs reproduced by detente run"
