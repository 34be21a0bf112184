#!/usr/bin/env bash
# install.sh: `make install PREFIX=... DESTDIR=...` puts the program, the
# standard library, the public headers (and no internal one), a pkg-config file
# and the man page in place;
# the installed program finds its standard library; a C program builds against
# the installed library with pkg-config and runs a scenario (examples/embed.c).
set -eu
cd "$(dirname "$0")/../.."
if [ "${BUILD:-build}" != build ]; then echo "skip: install is checked in the normal build only (BUILD=$BUILD)"; exit 77; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make -s install PREFIX=/opt/detente DESTDIR="$tmp" >/dev/null
root="$tmp/opt/detente"
for f in bin/detente lib/libdetente.a include/detente/detente.h include/detente/errors.h \
         lib/pkgconfig/detente.pc share/man/man1/detente.1 share/detente/stdlib/detente/treaties/new_start.lua \
         share/detente/stdlib/detente/data/new_start/forces_2025.csv \
         share/detente/schema/log.schema.json share/detente/schema/runs-meta.schema.json \
         share/detente/schema/batch-common.schema.json share/detente/schema/summary.schema.json \
         share/detente/schema/session-server.schema.json share/detente/schema/session-client.schema.json; do
  [ -e "$root/$f" ] || { echo "install.sh: missing $f"; exit 1; }
done
# Only the public headers: the internal ones (world.h, lrt.h, ...) stay home.
hdrs=$(cd "$root/include/detente" && ls | tr '\n' ' ')
[ "$hdrs" = "detente.h errors.h " ] || { echo "install.sh: installed headers: $hdrs"; exit 1; }
grep -q '^prefix=/opt/detente$' "$root/lib/pkgconfig/detente.pc" || { echo "install.sh: pkg-config prefix wrong"; exit 1; }
# The installed program, moved away from the source tree, still finds its stdlib.
out=$(cd "$tmp" && env -u DETENTE_STDLIB "$root/bin/detente" run --quiet "$OLDPWD/examples/decisions_policies.lua")
grep -q outcomes <<<"$out" || { echo "install.sh: installed program failed: $out"; exit 1; }
# Build examples/embed.c against the installed library.
sed -i "s|^prefix=.*|prefix=$root|" "$root/lib/pkgconfig/detente.pc"
PKG_CONFIG_PATH="$root/lib/pkgconfig" cc -std=c17 -Wall -Wextra -Werror examples/embed.c \
  $(PKG_CONFIG_PATH="$root/lib/pkgconfig" pkg-config --cflags --static --libs detente) -o "$tmp/embed"
res=$("$tmp/embed" tests/cli/data/random_walk.lua "$root/share/detente/stdlib")
[ "$(grep -c '^seed ' <<<"$res")" = 5 ] || { echo "install.sh: embed printed: $res"; exit 1; }
grep -q 'seed 3: tension=' <<<"$res" || { echo "install.sh: embed outcomes missing: $res"; exit 1; }
echo "install.sh: installed layout complete; installed program and embedded library both run"
