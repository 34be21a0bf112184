#!/usr/bin/env bash
# serve_bad_input.sh: detente serve, every kind of bad input, and abuse.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py bad_input
