#!/usr/bin/env bash
# web_turns.sh: a game in turns with people in roles, through the browser pages (web_turns.py).
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! [ -x /usr/bin/chromedriver ] || ! "$PY" -c "import selenium, PIL" 2>/dev/null; then
  echo "skip: needs chromium, chromium-driver, python3-selenium and python3-pil (make deps installs them)"
  exit 77
fi
export ARTIFACTS=${ARTIFACTS:-$PWD/${BUILD:-build}/test-artifacts/web}
exec timeout 240 "$PY" tests/cli/web_turns.py
