#!/usr/bin/env bash
# merge_oom.sh: `detente merge` meeting an allocation that fails reports "out
# of memory" and exits 3 (the man page: file error or out of memory), not 1,
# the scenario-error code. The failure is injected with an LD_PRELOAD shim
# (tests/lib/failmem_shim.c) that refuses every request of 1 MiB or more: the
# merged store of 20,000 runs x 8 outcomes (1.28 MB) is the only one that
# large; the same merge without the shim's limit succeeds.
source "$(dirname "$0")/data/mc_lib.sh"
if ldd "${DETENTE_REAL:-$DETENTE}" 2>/dev/null | grep -Eq 'lib(asan|tsan|ubsan)'; then
  echo "skip: a sanitizer's allocator cannot be replaced by an LD_PRELOAD shim"; exit 77
fi
cc -std=c17 -O1 -shared -fPIC -o "$TMP/failmem.so" tests/lib/failmem_shim.c
cat > "$TMP/oom.lua" <<'LUA'
scenario { title = "merge oom", start = "2026-01-01", stop = "2026-01-02" }
for i = 1, 8 do outcome("o" .. i, function() return i end) end
LUA
for k in 1 2; do
  "$DETENTE" mc "$TMP/oom.lua" --runs 20000 --seed 1 --shard $k/2 --out "$TMP/s$k.csv" -q
done
# The shim in place with a limit above every allocation: the merge succeeds.
FAILMEM_MIN=$((1 << 30)) LD_PRELOAD="$TMP/failmem.so" \
  "$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" --out "$TMP/ok.csv" -q ||
  die "the merge failed with no allocation refused"
[ "$(grep -c '^[0-9]' "$TMP/ok.csv")" -eq 20000 ] || die "the merged file does not hold 20000 runs"
# Requests of 1 MiB or more refused: out of memory, exit 3, no merged file.
export FAILMEM_MIN=$((1 << 20)) FAILMEM_LOG="$TMP/refused"
expect_fail 3 "^detente merge: out of memory$" -- \
  env LD_PRELOAD="$TMP/failmem.so" "$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" --out "$TMP/m.csv" -q
grep -q '^refused [0-9]' "$TMP/refused" || die "the shim refused no allocation"
[ ! -e "$TMP/m.csv" ] || die "a merged file was written although the merge failed"
echo "merge_oom.sh: out of memory in merge exits 3 with its message"
