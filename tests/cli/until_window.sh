#!/usr/bin/env bash
# until_window.sh: dates given on the command line must lie in the scenario's
# window. `run --until` before the start ran the setup and stopped, printing a
# run that did nothing (exit 0); `check --until` before it reported "clean" for
# smoke runs of nothing; `run --fork-at` outside the window reproduced no run
# of `mc --fork-at`, which refuses that date. Each is a usage error now (and a
# --log named is not left behind).
source "$(dirname "$0")/data/mc_lib.sh"
cat > "$TMP/w.lua" <<'LUA'
scenario { title = "window", start = "2026-01-01", stop = "2026-03-01" }
outcome("o", function() return 1 end)
LUA
expect_fail 2 "--until 2025-12-31 is before the scenario's start 2026-01-01" -- \
  "$DETENTE" run "$TMP/w.lua" --until 2025-12-31 --log "$TMP/w.jsonl"
[ ! -e "$TMP/w.jsonl" ] || die "a refused run left its log"
expect_fail 2 "--until 2025-12-31 is before the scenario's start" -- \
  "$DETENTE" check "$TMP/w.lua" --until 2025-12-31
expect_fail 2 "--fork-at 2026-04-01: the date is outside the scenario \\(2026-01-01 to 2026-03-01\\)" -- \
  "$DETENTE" run "$TMP/w.lua" --fork-at 2026-04-01 --fork-seed 5
"$DETENTE" run "$TMP/w.lua" --until 2026-01-01 -q >/dev/null || die "--until the start day is a run"
"$DETENTE" check "$TMP/w.lua" --until 2026-02-01 >/dev/null || die "check --until inside the window"
echo "until_window: ok"
