#!/usr/bin/env bash
# lib_symbols.sh: libdetente.a is the engine, not the program. Every symbol it
# defines for the outside starts with dt_ (STYLE.md: public dt_*, cross-file
# internals dt__*); the program's own objects (the command line, the live
# server, its protocol, the web pages) are not in it, and nothing in it needs
# libuv, so an embedder links without it.
set -eu
cd "$(dirname "$0")/../.."
lib="${BUILD:-build}/libdetente.a"
[ -f "$lib" ] || { echo "lib_symbols.sh: $lib not built"; exit 1; }
objs=$(ar t "$lib")
[ "$(wc -l <<<"$objs")" -ge 20 ] || { echo "lib_symbols.sh: only $(wc -l <<<"$objs") objects in $lib"; exit 1; }
for o in cli.o serve.o protocol.o web.o web_assets.o main.o; do
  if grep -qx "$o" <<<"$objs"; then echo "lib_symbols.sh: $o is in $lib (the program links it)"; exit 1; fi
done
grep -q '^cmd_' <<<"$objs" && { echo "lib_symbols.sh: a cmd_*.o is in $lib"; exit 1; }
# Defined external symbols (text, data, bss, read-only, common): type letter
# upper case, not U (undefined), w/v (weak, from the toolchain) or N.
# Symbols a sanitizer build adds (__odr_asan.*, __asan_*, ...) are the toolchain's.
tool='^__(odr_asan|asan|ubsan|sanitizer|sancov|tsan|msan)'
defined=$(nm -g --defined-only "$lib" | awk -v tool="$tool" 'NF == 3 && $2 ~ /^[A-TV-Z]$/ && $3 !~ tool { print $3 }' | sort -u)
[ -n "$defined" ] || { echo "lib_symbols.sh: nm found no symbols in $lib"; exit 1; }
grep -q '^dt_lrt_new$' <<<"$defined" || { echo "lib_symbols.sh: dt_lrt_new not defined in $lib"; exit 1; }
bad=$(grep -v '^dt_' <<<"$defined" || true)
if [ -n "$bad" ]; then
  echo "lib_symbols.sh: $(wc -l <<<"$bad") symbols outside the dt_ prefix in $lib:"
  nm -A -g --defined-only "$lib" | awk -v tool="$tool" 'NF == 3 && $2 ~ /^[A-TV-Z]$/ && $3 !~ /^dt_/ && $3 !~ tool {
    sub(/:[0-9a-f]+$/, "", $1); print "  " $1 " " $3 }'
  exit 1
fi
# The public prefix is the public header's: every dt_lrt_* (dt_strerror too)
# the archive defines is declared in detente.h or errors.h; an internal one is
# dt__lrt_*.
public=$(cat engine/detente.h engine/errors.h | grep -oE '\bdt_[a-z0-9_]+' | sort -u)
stray=$(grep -E '^dt_(lrt_|strerror)' <<<"$defined" | comm -23 - <(printf '%s\n' "$public") || true)
if [ -n "$stray" ]; then
  echo "lib_symbols.sh: public-style names not in detente.h (internal ones are dt__lrt_*):"
  printf '  %s\n' $stray
  exit 1
fi
undef=$(nm -g -u "$lib" | awk '{ print $NF }' | sort -u)
if grep -Eq '^(uv_|dt_cli_|dt_serve_|dt_proto_|dt_web_)' <<<"$undef"; then
  echo "lib_symbols.sh: $lib needs the program or libuv:"; grep -E '^(uv_|dt_cli_|dt_serve_|dt_proto_|dt_web_)' <<<"$undef"
  exit 1
fi
echo "lib_symbols.sh: $(wc -l <<<"$defined") symbols, all dt_*; no program objects, no libuv"
