#!/usr/bin/env bash
# serve_resume.sh: detente serve, kill -9 at random moments under a stream of moves, then --resume (SERVE_RESUME_CYCLES, default 50, as issue 5 asks; about 30 s).
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py resume
