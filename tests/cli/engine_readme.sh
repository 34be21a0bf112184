#!/usr/bin/env bash
# engine_readme.sh: engine/README.md stays true. Its file table names every
# engine/*.c and *.h, and every file its tables and layer drawing name exists
# (engine/, stdlib/detente/, tests/, docs/ with the #anchor's heading).
set -eu
cd "$(dirname "$0")/../.."
readme=engine/README.md
fail=0
files=$(sed -n '/^## Files/,$p' "$readme")
for f in engine/*.c engine/*.h; do
  b=$(basename "$f")
  grep -q "\`$b\`" <<<"$files" || { echo "engine_readme.sh: $b is not in the file table"; fail=1; }
done
# Every backquoted name in the page that looks like a file must exist.
for name in $(grep -o '`[A-Za-z0-9_./#-]*\.\(c\|h\|lua\|sh\|md\)\(#[a-z0-9-]*\)\?`' "$readme" | tr -d '`' | sort -u); do
  path=${name%%#*}; anchor=${name#"$path"}
  case "$path" in
    docs/*|tests/*|examples/*|stdlib/*) p=$path ;;
    unit/*|lua/*|cli/*|scenarios/*|hostile/*) p=tests/$path ;;
    */*.lua|*.lua) p=stdlib/detente/$path ;;
    *) p=engine/$path ;;
  esac
  [ -e "$p" ] || { echo "engine_readme.sh: $name names $p, which does not exist"; fail=1; continue; }
  if [ -n "$anchor" ]; then
    # GitHub's anchors: the heading in lower case, spaces as dashes, punctuation dropped.
    grep '^#' "$p" | sed 's/^#* //' | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9_\n-' | grep -qx "${anchor#\#}" ||
      { echo "engine_readme.sh: $name: no such heading in $p"; fail=1; }
  fi
done
# The words of the layer drawing that are file names, too.
for f in $(sed -n '/^```$/,/^```$/p' "$readme" | grep -o '[a-z_]\+\.c' | sort -u); do
  [ -e "engine/$f" ] || { echo "engine_readme.sh: the layer drawing names $f, which does not exist"; fail=1; }
done
# The drawing's library layers list exactly the library's objects (the Makefile's lists).
lib=$(make -s -f - print-lib <<'MK' 2>/dev/null
include Makefile
print-lib: ; @echo $(CORE) $(RUNTIME) $(BINDING) $(SERVICE)
MK
)
drawn=$(sed -n '/^```$/,/^```$/p' "$readme" | sed -n '/^  services/,/^```$/p' | grep -o '[a-z_]\+\.c' | sed 's/\.c$//' | sort -u | tr '\n' ' ')
want=$(tr ' ' '\n' <<<"$lib" | grep . | sort -u | tr '\n' ' ')
[ "$drawn" = "$want" ] || { echo "engine_readme.sh: drawing's library layers: $drawn"; echo "  the Makefile's library: $want"; fail=1; }
[ "$fail" = 0 ] && echo "engine_readme.sh: every file named, every name a file, the layers as the Makefile builds them"
exit "$fail"
