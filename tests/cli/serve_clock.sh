#!/usr/bin/env bash
# serve_clock.sh: detente serve, the simulated clock: --pace runs at about the
# requested rate, --step moves only on advance (by a duration, to the next
# decision), --hold-on-decision stops it while a human decision is pending (and
# without it the deadline's default applies), pause and resume.
# The scripted clients live in serve_tests.py; 127.0.0.1 only, a few seconds.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 20 python3 -B tests/cli/serve_tests.py clock
