#!/usr/bin/env bash
# run_all.sh: every benchmark; each prints its own medians.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export DETENTE=${DETENTE:-$PWD/$BUILD/detente}
for b in "$BUILD"/bench/bench_*; do [ -x "$b" ] && { echo "== $(basename "$b")"; "$b"; }; done
for b in bench/*.sh; do [ -e "$b" ] && [ "$(basename "$b")" != run_all.sh ] && { echo "== $(basename "$b")"; bash "$b"; }; done
exit 0
