#!/usr/bin/python3
"""json_check.py: validates what detente writes against docs/schema/*.json
(JSON Schema draft 2020-12) with python3-jsonschema.

    json_check.py FILE_OR_DIR...

Picks the schema from the content: a runs sidecar, an mc summary or a
sensitivity analysis by its "format"; a JSON Lines file line by line: event log lines (log.schema.json)
or, for files named session-*.jsonl (what tests/cli/serve_lib.py records),
messages from the server (session-server.schema.json). Prints one line per
problem and a count; exits 1 if any line or file is invalid, or if it was
given nothing to check.

Every line is parsed. The first LINES_IN_FULL lines of a file are all
validated; after that, a line is validated when its shape (keys, the kinds of
the values, and the values of the fields that name a kind: type, kind, vis,
code, status, role, mode) is one not validated yet: a flood test's half a
million events of one shape would otherwise take minutes."""
import json, os, sys
import jsonschema

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCHEMA_DIR = os.environ.get("DETENTE_SCHEMA_DIR", os.path.join(ROOT, "docs", "schema"))


def load_schemas(d=SCHEMA_DIR):
    store = {}
    for n in sorted(os.listdir(d)):
        if n.endswith(".schema.json"):
            with open(os.path.join(d, n), encoding="utf-8") as f:
                s = json.load(f)
            jsonschema.Draft202012Validator.check_schema(s)
            store[n] = s
            store[s["$id"]] = s
    return store


LINES_IN_FULL = 1000
ENUMS = ("type", "kind", "vis", "code", "status", "role", "mode")


def shape(v, key=None):
    if isinstance(v, dict):
        return ("{", tuple(sorted((k, shape(x, k)) for k, x in v.items())))
    if isinstance(v, list):
        return ("[", tuple(sorted(set(shape(x) for x in v), key=repr)))
    if key in ENUMS:
        return repr(v)
    return type(v).__name__


class Checker:
    def __init__(self, d=SCHEMA_DIR):
        self.store = load_schemas(d)
        self.v = {}
        for n in ("log", "runs-meta", "summary", "session-server", "sensitivity"):
            s = self.store[n + ".schema.json"]
            res = jsonschema.RefResolver.from_schema(s, store=self.store)
            self.v[n] = jsonschema.Draft202012Validator(s, resolver=res)
        self.checked = {k: 0 for k in self.v}
        self.problems = []
        self.shapes = set()
        self.skipped = 0

    def check_line(self, kind, obj, where, lineno):
        if lineno > LINES_IN_FULL:
            sh = (kind, shape(obj))
            if sh in self.shapes:
                self.skipped += 1
                return
        self.shapes.add((kind, shape(obj)))
        self.check(kind, obj, where)

    def check(self, kind, obj, where):
        self.checked[kind] += 1
        errs = sorted(self.v[kind].iter_errors(obj), key=lambda e: list(e.absolute_path))
        for e in errs[:3]:
            path = "/".join(str(p) for p in e.absolute_path)
            self.problems.append("%s: %s schema: at '%s': %s" % (where, kind, path, e.message[:300]))
        return not errs

    def check_file(self, path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        base = os.path.basename(path)
        if base.startswith("session-") and base.endswith(".jsonl"):
            for i, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    self.check_line("session-server", json.loads(line), "%s:%d" % (path, i), i)
            return
        stripped = text.lstrip()
        if stripped.startswith("{") and "\n{" not in text.strip():
            obj = json.loads(text)
            fmt = obj.get("format") if isinstance(obj, dict) else None
            if fmt == "detente-runs-meta": self.check("runs-meta", obj, path)
            elif fmt == "detente-mc-summary": self.check("summary", obj, path)
            elif fmt == "detente-sensitivity": self.check("sensitivity", obj, path)
            elif isinstance(obj, dict) and obj.get("schema") == "detente.log": self.check("log", obj, path)
            else: self.problems.append("%s: not a detente JSON file I know (format %r)" % (path, fmt))
            return
        if not stripped:
            return  # an empty log (a run that failed before it began)
        for i, line in enumerate(text.splitlines(), 1):
            if line.strip():
                self.check_line("log", json.loads(line), "%s:%d" % (path, i), i)

    def check_path(self, p):
        if os.path.isdir(p):
            for n in sorted(os.listdir(p)):
                self.check_path(os.path.join(p, n))
        else:
            try:
                self.check_file(p)
            except (ValueError, UnicodeDecodeError) as e:
                self.problems.append("%s: not JSON: %s" % (p, e))


def main(argv):
    c = Checker()
    for p in argv[1:]:
        c.check_path(p)
    for p in c.problems:
        print(p)
    total = sum(c.checked.values())
    print("schemas: %d validated (%s), %d more lines of shapes already validated, %d invalid"
          % (total, ", ".join("%s %d" % kv for kv in c.checked.items()), c.skipped, len(c.problems)))
    return 1 if c.problems or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
