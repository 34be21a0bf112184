#!/usr/bin/env bash
# run.sh: the fuzz harnesses as `make test` runs them: every committed corpus
# input once (regression), then a smoke of SMOKE seconds per harness (default 4:
# 24 s over the six, the 20-second smoke issue 9 asks for) from the corpus,
# new inputs going to a scratch folder. Skips when
# the harnesses are not built (they need clang: `make fuzz-build`).
set -u
cd "$(dirname "$0")/../.."
FB=${FUZZ_BUILD:-build/fuzzlib}
SMOKE=${SMOKE:-4}
[ -x "$FB/fuzz_time" ] || { echo "skip: fuzz harnesses not built (make fuzz-build needs clang)"; exit 77; }
export DETENTE_STDLIB=$PWD/stdlib DT_FUZZ_DRIVER=$PWD/tests/fuzz/api_driver.lua
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
for f in csv json protocol journal time lua_api; do
  c=tests/fuzz/corpus/$f
  mkdir -p "$tmp/$f"
  if [ -d "$c" ] && ! "$FB/fuzz_$f" -runs=0 "$c" >"$tmp/$f.log" 2>&1; then
    echo "FAIL: fuzz_$f on its corpus"; tail -30 "$tmp/$f.log"; fail=1; continue
  fi
  if ! "$FB/fuzz_$f" -max_total_time="$SMOKE" -artifact_prefix="$tmp/$f-" "$tmp/$f" "$c" >"$tmp/$f.log" 2>&1; then
    echo "FAIL: fuzz_$f smoke"; tail -30 "$tmp/$f.log"; ls "$tmp"/"$f"-* 2>/dev/null; fail=1; continue
  fi
  echo "ok: fuzz_$f ($(ls "$c" 2>/dev/null | wc -l) corpus inputs, ${SMOKE} s smoke)"
done
exit $fail
