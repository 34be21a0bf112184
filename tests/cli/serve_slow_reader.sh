#!/usr/bin/env bash
# serve_slow_reader.sh: detente serve, a client that stops reading: disconnected past --output-limit, the others carry on.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py slow_reader
