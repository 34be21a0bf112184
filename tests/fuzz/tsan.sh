#!/usr/bin/env bash
# tsan.sh: mc with 2 threads on the flagship and the isolation scenario under
# ThreadSanitizer (`make tsan` builds build/tsan/detente first).
set -eu
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/tsan/detente}
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
flag=scripts/new_start_2026.lua
[ -f "$flag" ] || flag=examples/hooks.lua
"$DETENTE" mc "$flag" --runs 40 --threads 2 -q --out "$tmp/a.csv" --summary "$tmp/a.json"
"$DETENTE" mc tests/hostile/data/isolation.lua --runs 200 --threads 2 -q --out "$tmp/b.csv" --summary "$tmp/b.json"
echo "ok: mc --threads 2 clean under ThreadSanitizer (flagship, isolation)"
