#!/usr/bin/env bash
# merge_oom.sh: `detente merge` meeting an allocation that fails reports "out
# of memory" and exits 3 (the man page: file error or out of memory), not 1,
# the scenario-error code. Every request of 1 MiB or more is refused: the
# merged store of 20,000 runs x 8 outcomes (1.28 MB) is the only one that
# large, and the same merge with a high limit succeeds. The refusal comes from
# an LD_PRELOAD shim (tests/lib/failmem_shim.c), or, in a sanitizer build
# (whose allocator a shim cannot replace), from AddressSanitizer's own
# max_allocation_size_mb with allocator_may_return_null.
source "$(dirname "$0")/data/mc_lib.sh"
libs=$(ldd "${DETENTE_REAL:-$DETENTE}" 2>/dev/null || true)
cat > "$TMP/oom.lua" <<'LUA'
scenario { title = "merge oom", start = "2026-01-01", stop = "2026-01-02" }
for i = 1, 8 do outcome("o" .. i, function() return i end) end
LUA
for k in 1 2; do
  "$DETENTE" mc "$TMP/oom.lua" --runs 20000 --seed 1 --shard $k/2 --out "$TMP/s$k.csv" -q
done
merge() { "$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" -q --out "$@"; }
if grep -q 'libasan' <<<"$libs"; then
  asan=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1
  ASAN_OPTIONS=$asan:max_allocation_size_mb=1024 merge "$TMP/ok.csv" ||
    die "the merge failed with no allocation refused"
  limited() { ASAN_OPTIONS=$asan:max_allocation_size_mb=1 "$@"; }
elif grep -Eq 'lib(tsan|msan)' <<<"$libs"; then
  echo "skip: this sanitizer's allocator has no size limit and takes no shim"; exit 77
else
  cc -std=c17 -O1 -shared -fPIC -o "$TMP/failmem.so" tests/lib/failmem_shim.c
  FAILMEM_MIN=$((1 << 30)) LD_PRELOAD="$TMP/failmem.so" merge "$TMP/ok.csv" ||
    die "the merge failed with no allocation refused"
  limited() { FAILMEM_MIN=$((1 << 20)) FAILMEM_LOG="$TMP/refused" LD_PRELOAD="$TMP/failmem.so" "$@"; }
fi
[ "$(grep -c '^[0-9]' "$TMP/ok.csv")" -eq 20000 ] || die "the merged file does not hold 20000 runs"
# Requests of 1 MiB or more refused: out of memory, exit 3, no merged file.
expect_fail 3 "^detente merge: out of memory$" -- limited merge "$TMP/m.csv"
[ -e "$TMP/refused" ] || grep -q 'libasan' <<<"$libs" || die "the shim refused no allocation"
[ ! -e "$TMP/m.csv" ] || die "a merged file was written although the merge failed"
echo "merge_oom.sh: out of memory in merge exits 3 with its message"
