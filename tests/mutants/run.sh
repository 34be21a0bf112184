#!/usr/bin/env bash
# run.sh (make mutants): applies each tests/mutants/*.patch, one at a time, to
# a scratch copy of the tree, rebuilds, runs the tests its header names
# (through tests/run_all.sh with DETENTE_TESTS) and prints a table: a mutant
# is "killed" when a test fails, "SURVIVED" when all pass. Exits 1 if any
# survived. A patch that no longer applies (the code moved) is listed as
# NO-APPLY (or NO-BUILD) and warned about, but does not fail the run, so that a refactoring
# elsewhere does not stop CI: refresh the patches with make_patches.py.
#   tests/mutants/run.sh [PATTERN...]    only the patches whose names contain one
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=${MUTANTS_DIR:-$ROOT/build/mutants}
pats=("$@")
rm -rf "$WORK"; mkdir -p "$WORK/src"
# The tree as it is (tracked files, with uncommitted changes).
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$WORK/src"
cd "$WORK/src"
echo "building the scratch copy in $WORK/src ..."
make -s -j2 all $(ls tests/unit/test_*.c | sed 's|tests/unit/|build/tests/|; s|\.c$||') >"$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log"; echo "mutants: the unmutated tree does not build"; exit 1; }
killed=0; survived=0; broken=0; rows=()
for p in "$ROOT"/tests/mutants/*.patch; do
  name=$(basename "$p" .patch)
  if [ ${#pats[@]} -gt 0 ]; then
    hit=
    for q in "${pats[@]}"; do [[ $name == *$q* ]] && hit=1; done
    [ -n "$hit" ] || continue
  fi
  tests=$(sed -n 's/^Tests: //p' "$p" | head -1)
  t0=$(date +%s)
  if ! patch -s -p1 --dry-run < "$p" >/dev/null 2>&1; then
    broken=$((broken + 1)); rows+=("$(printf '%-28s %-10s %s' "$name" "NO-APPLY" "$tests")"); continue
  fi
  patch -s -p1 < "$p"
  if ! make -s -j2 all $(ls tests/unit/test_*.c | sed 's|tests/unit/|build/tests/|; s|\.c$||') >"$WORK/$name.build" 2>&1; then
    result=NO-BUILD; how="(see $WORK/$name.build)"
  elif DETENTE_TESTS="$tests" timeout 900 bash tests/run_all.sh >"$WORK/$name.log" 2>&1; then
    result=SURVIVED; how=""
  else
    result=killed; how="($(grep -m1 '^FAIL' "$WORK/$name.log" | cut -c7-))"
  fi
  patch -s -p1 -R < "$p"
  case $result in killed) killed=$((killed + 1)) ;; SURVIVED) survived=$((survived + 1)) ;; *) broken=$((broken + 1)) ;; esac
  rows+=("$(printf '%-28s %-10s %4ss  %s %s' "$name" "$result" "$(( $(date +%s) - t0 ))" "$tests" "$how")")
  printf '%s\n' "${rows[-1]}"
done
# Leave the scratch tree built from the unmutated sources.
make -s -j2 all >/dev/null 2>&1
echo
echo "| mutant | result | time | tests (what killed it) |"
echo "| --- | --- | --- | --- |"
for r in "${rows[@]}"; do
  set -- $r
  n=$1; res=$2; shift 2
  tm=""; [[ ${1:-} == *s ]] && { tm=$1; shift; }
  echo "| $n | $res | $tm | $* |"
done
echo
[ $broken -eq 0 ] || echo "WARNING: $broken patches no longer apply or build: refresh them (python3 tests/mutants/make_patches.py)"
echo "mutants: $killed killed, $survived survived, $broken did not apply or build"
echo "mutants: $killed passed, $survived failed"
[ $survived -eq 0 ]
