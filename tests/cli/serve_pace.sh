#!/usr/bin/env bash
# serve_pace.sh: detente serve, the white cell's `pace` message: the clock
# runs at the new pace from where it is and everyone is told; a retry is
# applied once; a team, the rfi desk and a pace that does not read are
# refused; the pace survives kill -9 and --resume; step mode and turns refuse
# it. And (clock_push) every connection is told each change of the clock at
# once by a `clock` message: pause, resume, advance begun/done, a decision
# holding it; the welcome says how it stands. The scripted clients live in
# serve_tests.py; 127.0.0.1 only, a few seconds.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 60 python3 -B tests/cli/serve_tests.py pace clock_push
