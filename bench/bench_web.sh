#!/usr/bin/env bash
# bench_web.sh: serve --http under browser-like load (bench_web.py): 50 pages
# sending a combined 1,000 moves/s for 30 s with fsync (ack latency), then 200
# pages each receiving every public event (delivery latency). CLIENTS, RATE,
# DURATION, LISTENERS, SHOUTS override.
set -eu
cd "$(dirname "$0")/.."
export DETENTE=${DETENTE:-$PWD/${BUILD:-build}/detente}
if ! /usr/bin/python3 -c "import websockets" 2>/dev/null; then
  echo "skip: needs python3-websockets (make deps installs it)"; exit 0
fi
exec timeout --kill-after=5 $(( ${DURATION:-30} + 120 )) /usr/bin/python3 -B bench/bench_web.py
