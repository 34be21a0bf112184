#!/usr/bin/env bash
# serve_avail.sh: a seat is offered only the moves whose preconditions hold
# (move{ available = fn }), evaluated read-only at deterministic points only.
# The scripted clients live in serve_avail.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_avail.py
