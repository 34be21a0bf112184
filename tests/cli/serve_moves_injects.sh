#!/usr/bin/env bash
# serve_moves_injects.sh: detente serve, moves, injects, failing ones, broadcast, seat switch, end and replay.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py moves_injects
