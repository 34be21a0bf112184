#!/usr/bin/env bash
# serve_log.sh: broadcasts and refused moves on the log, live and replayed; old journals unchanged.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_log.py
