#!/usr/bin/env bash
# web_fuzz.sh: hostile HTTP and WebSocket traffic at serve --http while a
# well-behaved page keeps being served (web_fuzz.py).
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 180 python3 -B tests/cli/web_fuzz.py
