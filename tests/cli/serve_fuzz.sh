#!/usr/bin/env bash
# serve_fuzz.sh: detente serve under thousands of mutated protocol messages
# and random bytes from a seat and the facilitator; it must stay up and keep
# serving. The scripted clients live in serve_tests.py (t_fuzz).
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py fuzz
