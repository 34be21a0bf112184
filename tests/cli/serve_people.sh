#!/usr/bin/env bash
# serve_people.sh: decision.closed and the white cell's events, through TCP.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_people.py
