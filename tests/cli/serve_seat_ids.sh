#!/usr/bin/env bash
# serve_seat_ids.sh: a state whose id cannot be a seat stops `detente serve`
# at the start (exit 1, naming the state) instead of making a session in which
# it is broken. A state with the id "facilitator" (or "white", "white cell")
# got a seat that hello could never reach (the name means the white cell) and
# a lead named "facilitator" beside the white cell's umpire, so the tokens
# file named two people alike; an id of 64 bytes or more was cut to 63 for
# the lead's name, so two states could share one.
source "$(dirname "$0")/data/mc_lib.sh"
start() {   # start ID...: serve a scenario with these state ids; it must refuse
  {
    echo 'scenario { title = "seats", start = "2026-01-01", stop = "2026-02-01" }'
    for id in "$@"; do echo "state { id = \"$id\" }"; done
  } >"$TMP/s.lua"
  (cd "$TMP" && timeout 20 "$DETENTE" serve s.lua --journal j --listen 127.0.0.1:0 --no-console \
     </dev/null >"$TMP/out" 2>"$TMP/err") && die "serve started with states $*"
  rc=$?
  [ "$rc" = 1 ] || { cat "$TMP/err"; die "serve with states $* exited $rc, expected 1"; }
  [ ! -e "$TMP/j.tokens" ] || die "a tokens file was written for states $*"
}
start USA facilitator
grep -q "state 'facilitator' cannot be a seat" "$TMP/err" || { cat "$TMP/err"; die "no message"; }
start white RUS
grep -q "state 'white' cannot be a seat" "$TMP/err" || { cat "$TMP/err"; die "no message"; }
long=$(printf 'L%.0s' $(seq 70))
start USA "$long"
grep -q "cannot name its seat's lead: a name is 1 to 63 printable bytes" "$TMP/err" ||
  { cat "$TMP/err"; die "no message for a long id"; }
echo "serve_seat_ids: ok"
