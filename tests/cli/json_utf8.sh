#!/usr/bin/env bash
# json_utf8.sh: what a script writes reaches the JSON outputs whole. Bytes
# that are not UTF-8 made Jansson drop the string, silently: an error message
# quoting them vanished from the log's run.end and from summary.json's errors,
# an outcome returning them vanished from run.end's outcomes. An error message
# keeps its text with '?' for such bytes; an outcome returning them is an error
# naming the outcome (texts given to the engine are checked where they enter:
# tests/hostile/nul_bytes.lua).
source "$(dirname "$0")/data/mc_lib.sh"
cat > "$TMP/e.lua" <<'LUA'
scenario { title = "bytes", start = "2026-01-01", stop = "2026-02-01" }
outcome("x", function() return 1 end)
after(1, function() error("bad \xff\xfe byte") end)
LUA
rc=0; "$DETENTE" run "$TMP/e.lua" --log "$TMP/e.jsonl" 2>"$TMP/err" || rc=$?
[ "$rc" = 1 ] || die "run exited $rc"
grep -qF "\"error\":\"$TMP/e.lua:3: bad ?? byte" "$TMP/e.jsonl" || { tail -1 "$TMP/e.jsonl"; die "run.end lost the error"; }
"$DETENTE" mc "$TMP/e.lua" --runs 2 --out "$TMP/r.csv" --summary "$TMP/s.json" -q 2>/dev/null || true
grep -qF "\"message\": \"$TMP/e.lua:3: bad ?? byte\"" "$TMP/s.json" || die "summary.json lost the error"
cat > "$TMP/o.lua" <<'LUA'
scenario { title = "bytes", start = "2026-01-01", stop = "2026-02-01" }
outcome("word", function() return "caf\xe9" end)
LUA
expect_fail 1 "outcome 'word' returned a string that is not UTF-8" -- "$DETENTE" run "$TMP/o.lua"
echo "json_utf8: ok"
