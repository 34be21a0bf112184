#!/usr/bin/env bash
# bench_serve.sh: 50 clients sending moves at a combined 1,000 per second for
# 30 seconds against `detente serve` with the journal's fsync on; prints
# acknowledged moves, errors and p50/p99/max ack latency. The journal goes to
# build/bench-serve (a real disk, not /tmp). CLIENTS, RATE, DURATION override.
set -eu
cd "$(dirname "$0")/.."
export DETENTE=${DETENTE:-$PWD/${BUILD:-build}/detente}
exec timeout --kill-after=5 $(( ${DURATION:-30} + 60 )) python3 -B bench/bench_serve.py
