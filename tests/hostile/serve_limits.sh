#!/usr/bin/env bash
# serve_limits.sh: limits hit inside a live session (serve_limits.py).
set -eu
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}; case "$DETENTE" in /*) ;; *) DETENTE=$PWD/$DETENTE ;; esac; export DETENTE
exec timeout --kill-after=5 180 python3 -B tests/hostile/serve_limits.py
