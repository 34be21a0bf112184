# mc_memory.sh: peak memory grows with the number of runs only by the values
# the summary keeps (8 bytes per outcome and per sampled param, and a status
# byte, per run): rows stream to disk and the summary sorts them in place
# instead of copying columns.
source "$(dirname "$0")/data/mc_lib.sh"
[ -x /usr/bin/time ] || { echo "skip: no /usr/bin/time (make deps installs time)"; exit 77; }
case "${BUILD:-build}" in *san*) echo "skip: a sanitizer's allocator keeps freed memory on purpose"; exit 77 ;; esac
S="$DATA/mc_basic.lua"
# One worker: with two, how full the in-order window gets and the second
# malloc arena depend on scheduling, which on a loaded machine moved the peak
# by up to 800 KiB between runs (the test failed now and then).
# glibc's malloc with one arena and a fixed mmap threshold: large blocks (the
# kept values) are mapped and unmapped exactly, instead of coming from a heap
# whose high-water mark depends on what was freed before (the lead saw the
# peak overshoot by ~600 KiB under load with the default dynamic threshold).
peak() {
  MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=131072 /usr/bin/time -f %M -o "$TMP/time" \
    "$DETENTE" mc "$S" --runs "$1" --threads 1 -q --out "$TMP/r.csv" --summary "$TMP/s.json"
  cat "$TMP/time"
}
# Noise only ever adds to a peak: the smaller of two measurements of the big
# batch is the one closer to what the program needs.
small=$(peak 10000)
big=$(peak 100000)
big2=$(peak 100000)
[ "$big2" -lt "$big" ] && big=$big2
cols=$(( $(grep -c '"types"' "$TMP/r.csv.meta.json") + $(grep -c '"sampled": true' "$TMP/r.csv.meta.json") ))
kept=$(( 90000 * (cols * 8 + 1) / 1024 ))
# KiB: page granularity and the allocator's own bookkeeping, and 1/16 of the
# values kept for what the heap keeps around them. Copying the kept values
# (or two of their columns) for the summary would still fail.
slack=$(( 512 + kept / 16 ))
grow=$(( big - small ))
[ "$grow" -le $(( kept + slack )) ] ||
  die "peak RSS grew ${grow} KiB from 10^4 to 10^5 runs; the values kept grew ${kept} KiB (slack ${slack})"
echo "ok: memory grows only by the values kept (${grow} KiB for ${kept} KiB of values, slack ${slack})"
