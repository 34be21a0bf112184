#!/usr/bin/env bash
# web_e2e.sh [SCRIPT]: the browser pages end to end in headless Chromium
# (web_e2e.py, or the SCRIPT named, e.g. web_turns.py).
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! [ -x /usr/bin/chromedriver ] || ! "$PY" -c "import selenium, PIL" 2>/dev/null; then
  echo "skip: needs chromium, chromium-driver, python3-selenium and python3-pil (make deps installs them)"
  exit 77
fi
export ARTIFACTS=${ARTIFACTS:-$PWD/${BUILD:-build}/test-artifacts/web}
exec timeout 240 "$PY" "tests/cli/${1:-web_e2e.py}"
