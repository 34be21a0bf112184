#!/usr/bin/env bash
# serve_decisions.sh: detente serve, a decision answered in time and one defaulted at its deadline.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py decisions
