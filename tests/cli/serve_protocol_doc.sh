#!/usr/bin/env bash
# serve_protocol_doc.sh: the example exchanges in docs/protocol.md, replayed
# against a live server (serve_protocol_doc.py).
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_protocol_doc.py
