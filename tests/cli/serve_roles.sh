#!/usr/bin/env bash
# serve_roles.sh: people and roles (lead, member, umpire, rfi), the tokens file, through TCP.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_roles.py
