#!/usr/bin/env bash
# shared_modules.sh: a standard-library module is run once per worker and
# shared by its runs; nothing a run does through it is visible to a later run.
# data/shared_modules.lua checks every module as loaded, then tries each way
# to write through one (and fails the run if a write is not refused); over
# 200 runs in one worker every run must pass and see nothing, 1 and 2 threads
# must write the same rows byte for byte, and a sampled row must equal
# `detente run --seed` of that run (modules loaded afresh).
set -euo pipefail
cd "$(dirname "$0")/../.."
DETENTE=${DETENTE:-build/detente}
S=tests/hostile/data/shared_modules.lua
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
"$DETENTE" mc "$S" --runs 200 --threads 1 --seed 3 -q --out "$TMP/t1.csv" 2>"$TMP/err1" ||
  die "mc, 1 thread: $(head -5 "$TMP/err1")"
"$DETENTE" mc "$S" --runs 200 --threads 2 --seed 3 -q --out "$TMP/t2.csv" 2>"$TMP/err2" ||
  die "mc, 2 threads: $(head -5 "$TMP/err2")"
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || { diff "$TMP/t1.csv" "$TMP/t2.csv" | head; die "1 and 2 threads differ"; }
[ "$(head -1 "$TMP/t1.csv")" = "run,seed,seen,draw,status,error" ] || die "columns: $(head -1 "$TMP/t1.csv")"
rows=$(awk -F, 'NR > 1 && $3 == "\"\"" && $5 == "ok"' "$TMP/t1.csv" | wc -l)
[ "$rows" -eq 200 ] || { awk -F, 'NR > 1 && !($3 == "\"\"" && $5 == "ok")' "$TMP/t1.csv" | head -3
  die "$rows of 200 runs clean"; }
row=$(awk -F, '$1 == 137' "$TMP/t1.csv")
seed=$(cut -d, -f2 <<<"$row"); seed=${seed#s}
draw=$(cut -d, -f4 <<<"$row")
got=$("$DETENTE" run --seed "$seed" --quiet "$S" | awk '$1 == "draw" { print $2 }')
awk -v a="$got" -v b="$draw" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9) }' ||
  die "run 137: draw $got in detente run --seed $seed, $draw in mc"
echo "ok: 200 runs through shared modules isolated; 1 thread = 2 threads = run --seed"

# Which modules are shared: a copy of the standard library with modules that
# cannot be (they are loaded per run, as before) and one that keeps state in an
# upvalue (shared; every run starts from what its body left).
mkdir -p "$TMP/lib"; cp -r stdlib/detente "$TMP/lib/"
D=$TMP/lib/detente
printf 'local M = {}\nM.at = tostring(now())\nreturn M\n' > "$D/x_impure.lua"
printf 'helper = 1\nreturn { f = function() return helper end }\n' > "$D/x_global.lua"
printf 'return setmetatable({}, { __index = function() return 1 end })\n' > "$D/x_meta.lua"
printf 'local co = coroutine.wrap(function() end)\nreturn { co = co }\n' > "$D/x_co.lua"
printf 'return { it = string.gmatch("a b", "%%a") }\n' > "$D/x_gmatch.lua"
printf 'local t = {}\nreturn { [t] = 1 }\n' > "$D/x_key.lua"
printf 'local x = require "detente.x_impure"\nreturn { x = x }\n' > "$D/x_uses_impure.lua"
printf 'local n = 0\nlocal M = {}\nfunction M.bump() n = n + 1; return n end\nreturn M\n' > "$D/x_counter.lua"
cat > "$TMP/s.lua" <<'LUA'
scenario { start = "2026-01-01", stop = "2026-01-02" }
local kinds = {}
for _, m in ipairs({ "x_impure", "x_global", "x_meta", "x_co", "x_gmatch", "x_key",
                     "x_uses_impure", "x_counter", "moves" }) do
  kinds[#kinds + 1] = m .. "=" .. (detente.type(require("detente." .. m)) or type(require("detente." .. m)))
end
local c = require "detente.x_counter"
local b1, b2 = c.bump(), c.bump()
outcome("kinds", function() return table.concat(kinds, " ") end)
outcome("bumps", function() return b1 .. "," .. b2 .. "," .. tostring(helper) end)
LUA
DETENTE_STDLIB=$TMP/lib "$DETENTE" mc "$TMP/s.lua" --runs 20 --threads 1 -q --out "$TMP/k.csv" 2>"$TMP/err3" ||
  die "mc with the test library: $(head -5 "$TMP/err3")"
want='x_impure=table x_global=table x_meta=table x_co=table x_gmatch=table x_key=table x_uses_impure=table x_counter=Module moves=Module,"1,2,1",ok,NA'
bad=$(tail -n +2 "$TMP/k.csv" | cut -d, -f3- | grep -vxF "$want" | head -2 || true)
[ -z "$bad" ] && [ "$(wc -l < "$TMP/k.csv")" -eq 21 ] || die "shared or not, per-run semantics: got $bad; want $want"
echo "ok: modules that cannot be shared are loaded per run; upvalue state starts afresh each run"
