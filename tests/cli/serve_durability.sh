#!/usr/bin/env bash
# serve_durability.sh: the journal is written and fdatasync'ed before an ack
# leaves the server, and a failing write or sync (EIO, ENOSPC) stops it
# without acknowledging: watched and injected with an LD_PRELOAD shim.
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cc -std=c17 -O1 -shared -fPIC -o "$tmp/dura.so" tests/lib/dura_shim.c -ldl
exec timeout --kill-after=5 240 python3 -B tests/cli/serve_durability.py "$tmp/dura.so"
