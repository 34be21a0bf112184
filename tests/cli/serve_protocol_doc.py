"""serve_protocol_doc.py: replays the example exchanges of docs/protocol.md
against a live server and checks that every `<` line arrives (see the doc)."""
import json, os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, Client, DATA, check

IGNORE = {"date", "t", "clock", "last_seq", "message"}
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def blocks(path):
    out, cur = [], None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("```jsonl"):
            cur = []
        elif line.startswith("```") and cur is not None:
            out.append(cur)
            cur = None
        elif cur is not None and line:
            cur.append(line)
    return out


def matches(exp, got):
    if not isinstance(exp, dict) or not isinstance(got, dict):
        return exp == got
    for k, v in exp.items():
        if k in IGNORE:
            continue
        if k not in got or not matches(v, got[k]):
            return False
    return True


def main():
    bl = blocks(os.path.join(ROOT, "docs", "protocol.md"))
    check(len(bl) >= 5, "the doc has example blocks")
    with tempfile.TemporaryDirectory() as tmp:
        S = Server([os.path.join(DATA, "serve_basic.lua"), "--human", "USA", "--step", "--journal", "j"], tmp)
        conns, nlines = {}, 0
        try:
            for b in bl:
                check(b[0].startswith("# as "), "a block starts with '# as SEAT'")
                seat = b[0][5:].strip()
                if seat not in conns:
                    conns[seat] = Client(S.port)
                c = conns[seat]
                for line in b[1:]:
                    nlines += 1
                    d, body = line[0], line[2:]
                    if d == ">":
                        c.send_raw(body.replace('"TOKEN"', '"%s"' % S.tokens[seat]).encode() + b"\n")
                    elif d == "<":
                        exp = json.loads(body)
                        try:
                            c.wait_for(lambda m: matches(exp, m), timeout=10)
                        except AssertionError as e:
                            raise AssertionError("doc example not met: %s\n%s" % (body, e))
                    else:
                        raise AssertionError("bad example line: " + line)
        finally:
            S.kill()
        print("ok: %d example lines in %d blocks" % (nlines, len(bl)))


main()
