#!/usr/bin/env bash
# serve_crash.sh: detente serve across crashes: clock settings journaled,
# retried inputs applied once, the bad-message limit, and kill -9 at random
# moments (SERVE_KILL_CYCLES, default 200; `make soak` runs 1,000).
# The scripted clients live in serve_crash.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 400 python3 -B tests/cli/serve_crash.py
