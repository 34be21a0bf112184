#!/usr/bin/env bash
# serve_visibility.sh: detente serve, a seat never receives another seat's private event,
# nor an event between two other parties.
# The scripted clients live in serve_tests.py.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_tests.py visibility visibility_parties
