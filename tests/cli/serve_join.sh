#!/usr/bin/env bash
# serve_join.sh: detente join through pipes: timeline, decisions, moves, answers, acks, a wrong token.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py join
