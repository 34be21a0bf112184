# mc_lib.sh: helpers shared by the mc_*.sh tests (sourced, not a test itself).
set -euo pipefail
: "${DETENTE:=$PWD/build/detente}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
same() { cmp -s "$1" "$2" || { diff <(head -c 2000 "$1") <(head -c 2000 "$2") >&2 || true; die "$3: $1 and $2 differ"; }; }
# expect_fail CODE PATTERN -- command...: the command must exit with CODE and
# print PATTERN (grep -E) on stderr.
expect_fail() {
  local want=$1 pat=$2; shift 3
  local rc=0
  "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$TMP/err" >&2; die "'$*' exited $rc, expected $want"; }
  grep -Eq -- "$pat" "$TMP/err" || { cat "$TMP/err" >&2; die "'$*': stderr lacks /$pat/"; }
}
