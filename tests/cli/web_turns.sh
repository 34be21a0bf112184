#!/usr/bin/env bash
# web_turns.sh: a game in turns with people in roles, through the browser pages (web_turns.py).
exec bash "$(dirname "$0")/web_e2e.sh" web_turns.py
