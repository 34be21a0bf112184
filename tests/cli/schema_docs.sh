#!/usr/bin/env bash
# schema_docs.sh: the documented examples agree with docs/schema: every
# message of docs/protocol.md's exchanges (client lines against
# session-client.schema.json, server lines against session-server), where a
# client line the server answers with bad_json, unknown_type or bad_field must
# be invalid and every other one valid; and the event log lines of
# docs/formats.md against log.schema.json.
set -eu
cd "$(dirname "$0")/../.."
PY=${DETENTE_PY:-python3}
"$PY" -c 'import jsonschema' 2>/dev/null || { echo "skip: needs python3-jsonschema (make deps)"; exit 77; }
exec "$PY" - <<'PY'
import json, sys
sys.path.insert(0, "tests/lib")
import jsonschema, json_check
store = json_check.load_schemas()
def validator(name):
    s = store[name]
    return jsonschema.Draft202012Validator(s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
client, server, log = (validator(n + ".schema.json") for n in ("session-client", "session-server", "log"))
bad = []
lines = [l.rstrip("\n") for l in open("docs/protocol.md", encoding="utf-8")]
n = {"client ok": 0, "client refused": 0, "server": 0, "log": 0}
for i, line in enumerate(lines):
    if line.startswith("< "):
        errs = list(server.iter_errors(json.loads(line[2:])))
        n["server"] += 1
        if errs: bad.append("protocol.md:%d: server message invalid: %s" % (i + 1, errs[0].message))
    elif line.startswith("> "):
        answer = next((json.loads(l[2:]) for l in lines[i + 1:] if l.startswith("< ")), {})
        refused = answer.get("type") == "error" and answer.get("code") in ("bad_json", "unknown_type", "bad_field")
        try:
            ok = client.is_valid(json.loads(line[2:]))
        except ValueError:
            ok = False
        n["client refused" if refused else "client ok"] += 1
        if ok == refused:
            bad.append("protocol.md:%d: client message %s by the schema but %s by the server: %s"
                       % (i + 1, "accepted" if ok else "refused", "refused" if refused else "accepted", line[2:80]))
text = open("docs/formats.md", encoding="utf-8").read()
for block in text.split("```json\n")[1:]:
    body = block.split("```")[0].strip()
    if "\n" in body or "…" in body:
        continue
    obj = json.loads(body)
    if "schema" in obj or "seq" in obj or obj.get("kind") == "run.end":
        n["log"] += 1
        for e in log.iter_errors(obj):
            bad.append("formats.md: log example invalid: %s: %s" % (e.message, body[:60]))
print("\n".join(bad))
assert not bad
assert n["client ok"] >= 10 and n["client refused"] >= 2 and n["server"] >= 15 and n["log"] == 3, n
print("schema_docs: %r" % n)
PY
