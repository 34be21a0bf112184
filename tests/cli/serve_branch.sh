#!/usr/bin/env bash
# serve_branch.sh: branching a live session from an old journal (serve_branch.py).
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_branch.py
