#!/usr/bin/env bash
# serve_bytes.sh: strings a scenario gives serve as they are (a move's doc, an
# arg's options, a decision's context) reach the clients even when they are
# not UTF-8: Jansson refused them and the field was dropped without a word (a
# welcome whose move had no doc, a decision without its context field). Bytes
# that are not UTF-8 show as '?', a NUL byte as \u0000.
set -eu
cd "$(dirname "$0")/../.."
exec timeout --kill-after=5 60 python3 -B - <<'PY'
import os, sys, tempfile
sys.path.insert(0, "tests/cli")
from serve_lib import Server
tmp = tempfile.mkdtemp(prefix="serve_bytes.")
s = Server([os.path.abspath("tests/cli/data/serve_bytes.lua"), "--human", "USA", "--step",
            "--journal", os.path.join(tmp, "j")], tmp)
bad = []
try:
    c = s.client("USA")
    w = next(m for m in c.msgs if m["type"] == "welcome")
    mv = next(m for m in w["moves"] if m["name"] == "statement")
    if mv.get("doc") != "caf? doc": bad.append("move doc: %r" % mv.get("doc"))
    arg = mv["args"][0] if mv["args"] else {}
    if arg.get("options") != ["calm", "?loud"] or arg.get("doc") != "how ?":
        bad.append("arg: %r" % (arg,))
    f = s.client("facilitator")
    f.request({"type": "advance", "to": "decision"})
    d = c.wait_for(lambda m: m["type"] == "decision")
    if d.get("context") != {"note": "a?b", "nul": "x\x00y"}: bad.append("context: %r" % d.get("context"))
finally:
    s.kill()
print("\n".join(bad) or "serve_bytes: ok")
sys.exit(1 if bad else 0)
PY
