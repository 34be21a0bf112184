#!/usr/bin/env bash
# run_one.sh FILE: runs one hostile scenario as its header says and checks the
# outcome. Header lines (at the top of the .lua file):
#   -- cmd: run | mc --runs N ...        how to run it (default: run)
#   -- args: ...                         extra arguments
#   -- exit: N                           expected exit code
#   -- message: TEXT                     must appear in stderr+stdout
#   -- no-message: TEXT                  must not appear (mc exits 0 when some runs fail)
#   -- seconds: N                        wall-time bound (x4 under sanitizers)
#   -- rss-mib: N                        peak RSS bound (skipped under sanitizers)
#   -- setup: COMMANDS                   run in a scratch copy of the scenario's
#                                        folder first (files, links it needs)
set -u
f=$1
DETENTE=${DETENTE:-build/detente}
hdr() { sed -n "s/^-- $1: //p" "$f" | head -1; }
cmd=$(hdr cmd); cmd=${cmd:-run}
args=$(hdr args)
want_exit=$(hdr exit)
msg=$(hdr message)
nomsg=$(hdr no-message)
secs=$(hdr seconds); secs=${secs:-30}
rss=$(hdr rss-mib)
san=0; case "${BUILD:-build}" in *san*) san=1; secs=$((secs * 4)) ;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
setup=$(hdr setup)
if [ -n "$setup" ]; then
  mkdir "$tmp/scen"
  cp "$f" "$tmp/scen/"
  (cd "$tmp/scen" && bash -c "$setup") || { echo "$f: setup failed"; exit 1; }
  f=$tmp/scen/$(basename "$f")
fi
extra=()
case "$cmd" in mc*) extra=(--out "$tmp/r.csv" --summary "$tmp/s.json" -q) ;; esac
start=$(date +%s.%N)
# shellcheck disable=SC2086
/usr/bin/time -f %M -o "$tmp/time" timeout --kill-after=5 $((secs * 3)) \
  "$DETENTE" $cmd "$f" $args "${extra[@]}" >"$tmp/out" 2>&1
rc=$?
end=$(date +%s.%N)
bad() { echo "$f: $*"; tail -15 "$tmp/out"; exit 1; }
[ -n "$want_exit" ] && [ "$rc" != "$want_exit" ] && bad "exit $rc, expected $want_exit"
[ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/out" && bad "no message '$msg'"
[ -n "$nomsg" ] && grep -qF -- "$nomsg" "$tmp/out" && bad "message '$nomsg'"
grep -qE "AddressSanitizer|runtime error:|LeakSanitizer" "$tmp/out" && bad "sanitizer report"
took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
awk -v t="$took" -v s="$secs" 'BEGIN { exit !(t > s) }' && bad "took ${took}s, bound ${secs}s"
if [ -n "$rss" ] && [ "$san" = 0 ]; then
  peak=$(tail -1 "$tmp/time")
  [ "$peak" -gt $((rss * 1024)) ] && bad "peak RSS ${peak} KiB, bound ${rss} MiB"
fi
exit 0
