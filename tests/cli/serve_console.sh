#!/usr/bin/env bash
# serve_console.sh: detente serve, the facilitator console on standard input: commands and readable replies.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py console
