#!/usr/bin/env bash
# serve_turns.sh: a session in turns (--turns): held moves, adjudication,
# release, the next turn; through TCP, across kill -9, and with `detente join`
# for two teams and the white cell. The scripted clients live in serve_turns.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 180 python3 -B tests/cli/serve_turns.py
