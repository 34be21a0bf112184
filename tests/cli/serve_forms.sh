#!/usr/bin/env bash
# serve_forms.sh: declared move and inject arguments through the protocol and
# the console, references by id, quoted values (the flagship, two human teams).
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 120 python3 -B tests/cli/serve_forms.py
