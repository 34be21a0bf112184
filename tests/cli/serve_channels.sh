#!/usr/bin/env bash
# serve_channels.sh: channels, posts, forms, catch-up and resume, through TCP.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_channels.py
