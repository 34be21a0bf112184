#!/usr/bin/env bash
# serve_reconnect.sh: detente serve, reconnection without loss or duplication.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py reconnect
