#!/usr/bin/env bash
# editor.sh: the editor support shipped with the standard library stays true.
#  - luacheck, with stdlib/meta/luacheckrc (std = detente), passes every shipped
#    script, example, stdlib module and Lua test, and flags what the sandbox lacks;
#  - stdlib/meta/detente.lua (the LuaLS ---@meta file) parses, declares every global
#    the engine gives a scenario and nothing else, and lists for each function taking
#    a table exactly the fields the engine accepts (`detente check --api`);
#  - the luacheck std names every global too.
# lua-language-server is not packaged in Debian 12, so its own CLI check cannot run
# here; these checks hold the meta file to the engine instead.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
rc=stdlib/meta/luacheckrc meta=stdlib/meta/detente.lua

# tests/scenarios/sandbox_env.lua inspects _ENV on purpose (it checks the sandbox).
out=$(luacheck --config "$rc" --no-color --codes scripts examples stdlib/detente tests/lua tests/scenarios \
        --exclude-files tests/scenarios/sandbox_env.lua 2>&1) ||
  { fail "luacheck finds problems in shipped Lua:"; grep -v "OK$" <<<"$out" | head -30; }

# The std catches what the sandbox lacks and global assignments.
printf 'local f = io.open("x")\nload("x")\nleaked = 1\nlocal t = os.time()\nlocal d = days(1)\n' > "$tmp/bad.lua"
out=$(luacheck --config "$rc" --no-color --codes "$tmp/bad.lua" 2>&1)
for w in "accessing undefined variable 'io'" "accessing undefined variable 'load'" \
         "setting non-standard global variable 'leaked'" "accessing undefined field 'time' of global 'os'"; do
  grep -qF "$w" <<<"$out" || fail "luacheck std does not report: $w"
done
grep -q "'days'" <<<"$out" && fail "luacheck std does not know days()"

luac5.4 -p "$meta" || fail "$meta does not parse"
"$DETENTE" check --api > "$tmp/api" || fail "detente check --api failed"
# Every global of the sandbox is declared in the meta file and named in the luacheck std.
while read -r kind name; do
  [ "$kind" = global ] || continue
  case "$name" in
    assert|error|ipairs|next|pairs|pcall|xpcall|rawequal|rawget|rawlen|rawset|select|setmetatable|\
    getmetatable|tonumber|tostring|type|print|_VERSION|require|string|table|math|utf8|coroutine|debug|os) ;;
    *) grep -qE "^(function $name\(|$name = )" "$meta" || fail "$meta does not declare the global '$name'" ;;
  esac
  grep -qE "\"$name\"|^ *$name = " "$rc" || fail "$rc does not name the global '$name'"
done < "$tmp/api"
# ... and the meta file declares no global the engine lacks.
for name in $(sed -nE 's/^function ([a-z_]+)\(.*/\1/p; s/^([a-z_]+) = .*/\1/p' "$meta"); do
  grep -qx "global $name" "$tmp/api" || fail "$meta declares '$name', which the engine does not have"
done
# Every method of every handle type is declared (function State:name(...)).
while read -r kind type name; do
  [ "$kind" = method ] || continue
  grep -q "^function $type:$name(" "$meta" || fail "$meta does not declare $type:$name"
done < "$tmp/api"
# Field lists: `fields FN: a b c` against ---@class detente.spec.<last word of FN>.
while IFS= read -r line; do
  [ "${line%% *}" = fields ] || continue
  fn=${line#fields }; fn=${fn%%:*}; cls=${fn##* }
  want=$(tr ' ' '\n' <<<"${line#*: }" | sort | tr '\n' ' ')
  got=$(awk -v c="---@class detente.spec.$cls" '$0 == c {on=1; next} on && /^---@field/ {f=$2; sub(/\?$/, "", f); print f; next} on {exit}' "$meta" | sort | tr '\n' ' ')
  [ "$want" = "$got" ] || fail "fields of $fn: engine has [$want], $meta has [$got]"
done < "$tmp/api"

echo "editor.sh: $fails failures"
[ "$fails" -eq 0 ]
