#!/usr/bin/env bash
# schema_client.sh: docs/schema/session-client.schema.json agrees with the
# server's parser (engine/protocol.c): a table of client messages, sent to a
# live `detente serve` over TCP, is refused as malformed exactly when the
# schema refuses it. 127.0.0.1 only, a second or two.
set -eu
cd "$(dirname "$0")/../.."
PY=${DETENTE_PY:-python3}
"$PY" -c 'import jsonschema' 2>/dev/null || { echo "skip: needs python3-jsonschema (make deps)"; exit 77; }
exec timeout --kill-after=5 60 "$PY" -B tests/cli/schema_client.py
