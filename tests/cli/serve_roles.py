"""serve_roles.py: the people of a session, through the TCP protocol: a people
file (several people per seat, each with a token and a role), what a member
and the request-for-information desk may not do, the white cell's list of
people, who did what in the journal, and the tokens file (0600, created
anew, never through a link, read back on resume; printed only with
--print-tokens). Run: python3 serve_roles.py [NAME]"""
import csv, json, os, re, stat, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, DETENTE, check, read_tokens, run_tests

SCEN = os.path.join(DATA, "serve_basic.lua")
PEOPLE = "name,seat,role\nAlice,USA,lead\nBob,USA,member\nCarol,RUS,lead\nUma,facilitator,umpire\nRita,white,rfi\n"


def people_file(tmp, text=PEOPLE):
    p = os.path.join(tmp, "people.csv")
    with open(p, "w") as f:
        f.write(text)
    return p


def hello(S, name, seat=None):
    p = S.person(name)
    c = S.client()
    w = c.hello(seat or p["seat"], p["token"])
    return c, w


def t_roles(tmp):
    S = Server([SCEN, "--human", "USA,RUS", "--step", "--journal", "j", "--people", people_file(tmp), "--log", "l.jsonl"], tmp)
    try:
        check(sorted(p["name"] for p in S.people) == ["Alice", "Bob", "Carol", "Rita", "Uma"], "everyone has a token: %r" % S.people)
        check(len({p["token"] for p in S.people}) == 5, "tokens differ")
        uma, w = hello(S, "Uma")
        check(w["type"] == "welcome" and w["role"] == "umpire" and w["name"] == "Uma" and w["seat"] == "facilitator", "umpire: %r" % w)
        check({(p["name"], p["connected"]) for p in w["people"]} >= {("Uma", 1), ("Bob", 0)}, "the white cell's people: %r" % w["people"])
        bob, w = hello(S, "Bob")
        check(w["role"] == "member" and w["name"] == "Bob" and w["seat"] == "USA", "member: %r" % w)
        # The white cell is told who connected.
        m = uma.wait_for(lambda m: m["type"] == "people" and any(p["name"] == "Bob" and p["connected"] == 1 for p in m["people"]))
        check(all(set(p) == {"seat", "role", "name", "connected"} for p in m["people"]), "people entries: %r" % m)
        alice, w = hello(S, "Alice")
        check(w["role"] == "lead", "lead: %r" % w)
        # A member sees what the seat sees but neither moves nor answers.
        r = bob.request({"type": "move", "move": "statement", "args": {"text": "hi"}})
        check(r["type"] == "error" and r["code"] == "not_lead", "a member's move is refused: %r" % r)
        uma.request({"type": "advance", "to": "decision"})
        d = bob.wait_for(lambda m: m["type"] == "decision")
        check(alice.expect(lambda m: m["type"] == "decision")["decision"] == d["decision"], "the lead is asked too")
        r = bob.request({"type": "answer", "decision": d["decision"], "option": "yes"})
        check(r["type"] == "error" and r["code"] == "not_lead" and "lead" in r["message"], "a member's answer is refused: %r" % r)
        r = alice.request({"type": "answer", "decision": d["decision"], "option": "yes"})
        check(r["type"] == "ack", "the lead answers: %r" % r)
        check(bob.expect(lambda m: m["type"] == "decision.closed")["how"] == "answered", "the member is told it closed")
        r = alice.request({"type": "move", "move": "statement", "args": {"text": "we observe the limits"}})
        check(r["type"] == "ack" and r.get("accepted"), "the lead moves: %r" % r)
        bob.wait_for(lambda m: m["type"] == "event" and m["kind"] == "statement.made")
        # The request-for-information desk sees everything and steers nothing.
        rita, w = hello(S, "Rita")
        check(w["role"] == "rfi" and w["seat"] == "facilitator" and "injects" in w, "rfi: %r" % w)
        rita.expect(lambda m: m["type"] == "event" and m["kind"] == "statement.made")   # sees the events
        for msg in ({"type": "advance", "by": "1d"}, {"type": "pause"}, {"type": "inject", "name": "crisis"},
                    {"type": "end"}, {"type": "event", "text": "x"}, {"type": "broadcast", "text": "x"},
                    {"type": "seat", "seat": "USA", "human": False},
                    {"type": "move", "seat": "USA", "move": "statement", "args": {"text": "x"}}):
            r = rita.request(msg)
            check(r["type"] == "error" and r["code"] == "not_umpire", "rfi may not %s: %r" % (msg["type"], r))
        st = rita.request({"type": "status"})
        check(st["type"] == "status" and len(st["people"]) == 5, "rfi gets the status with people: %r" % st)
        # A seat's status has no people list.
        check("people" not in alice.request({"type": "status"}), "a seat is not told who plays")
        # A token opens its person's seat only.
        c = S.client()
        r = c.hello("RUS", S.person("Bob")["token"])
        check(r["type"] == "error" and r["code"] == "auth", "Bob's token does not open RUS: %r" % r)
        c = S.client()
        r = c.hello("USA", S.person("Uma")["token"])
        check(r["type"] == "error" and r["code"] == "auth", "the umpire's token does not open USA: %r" % r)
        # Bob leaves: the white cell is told.
        bob.close()
        uma.wait_for(lambda m: m["type"] == "people" and any(p["name"] == "Bob" and p["connected"] == 0 for p in m["people"]))
        uma.request({"type": "end"})
        S.wait()
    finally:
        S.kill()
    # The journal says who did what: the export carries each input's person.
    out = os.path.join(tmp, "x")
    r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "j"), "--export", out, "--quiet"], capture_output=True, text=True)
    check(r.returncode == 0, "replay --export: %s" % r.stderr)
    with open(os.path.join(out, "moves.csv"), newline="") as f:
        moves = list(csv.DictReader(f))
    check([(m["by"], m["person"]) for m in moves] == [("USA", "Alice")], "moves by person: %r" % moves)
    with open(os.path.join(out, "white_cell.csv"), newline="") as f:
        wc = list(csv.DictReader(f))
    check({m["person"] for m in wc} == {"Uma"}, "white-cell inputs by person: %r" % wc)


def t_bad_people(tmp):
    for text, want in (("name,seat\nA,USA\n", "name,seat,role"),
                       ("name,seat,role\nA,CHN,lead\n", ":2: A: no seat 'CHN'"),
                       ("name,seat,role\nA,USA,umpire\n", ":2: A: the role in USA is lead or member"),
                       ("name,seat,role\nA,facilitator,lead\n", "umpire or rfi"),
                       ("name,seat,role\nA,USA,lead\nA,RUS,lead\n", ":3: 'A' is named twice"),
                       ("name,seat,role\n,USA,lead\n", "a name is 1 to 63")):
        r = subprocess.run([DETENTE, "serve", SCEN, "--journal", "j", "--no-console", "--people", people_file(tmp, text),
                            "--listen", "127.0.0.1:0"], cwd=tmp, capture_output=True, text=True, timeout=20)
        check(r.returncode == 2 and want in r.stderr, "bad people file %r: exit %d, %r" % (text, r.returncode, r.stderr))
    r = subprocess.run([DETENTE, "serve", "--resume", "j", "--people", "p.csv"], cwd=tmp, capture_output=True, text=True)
    check(r.returncode == 2 and "--people" in r.stderr, "--people on resume is refused: %r" % r.stderr)


def t_tokens_file(tmp):
    S = Server([SCEN, "--human", "USA", "--step", "--journal", "j"], tmp)
    try:
        out = "\n".join(S.out.lines)
        check(not re.search(r"[0-9a-f]{32}", out), "no token on standard output by default: %r" % out)
        path = os.path.join(tmp, "j.tokens")
        check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "the tokens file is 0600")
        with open(path) as f:
            check(f.readline() == "seat,role,name,token\n", "the tokens file has its header")
        check([(p["seat"], p["role"], p["name"]) for p in S.people] == [("facilitator", "umpire", "facilitator"), ("USA", "lead", "USA"), ("RUS", "lead", "RUS")],
              "the default people: %r" % S.people)
        old = dict(S.tokens)
    finally:
        S.kill()
    # Resume: the same tokens, unless the file is readable by others.
    os.chmod(os.path.join(tmp, "j.tokens"), 0o644)
    r = subprocess.run([DETENTE, "serve", "--resume", "j", "--no-console", "--listen", "127.0.0.1:0"], cwd=tmp, capture_output=True, text=True, timeout=20)
    check(r.returncode == 3 and "chmod 600" in r.stderr, "a tokens file others can read is refused on resume: %r" % r.stderr)
    os.chmod(os.path.join(tmp, "j.tokens"), 0o600)
    S = Server([], tmp, resume="j")
    try:
        check(S.tokens == old, "resume reads the same tokens back")
        check(S.client("USA").msgs[-1]["type"] == "welcome", "the old token opens the seat")
    finally:
        S.kill()
    # A missing file on resume: everyone gets a new token.
    os.unlink(os.path.join(tmp, "j.tokens"))
    S = Server(["--print-tokens"], tmp, resume="j")
    try:
        check(S.tokens["USA"] != old["USA"], "new tokens")
        printed = {l.split()[1]: l.split()[2] for l in S.out.lines if l.startswith("token ")}
        check(printed == S.tokens, "--print-tokens prints them as in the file: %r" % printed)
        line = next(l for l in S.out.lines if l.startswith("token USA "))
        check(line.split()[3:] == ["lead", "USA"], "token SEAT TOKEN ROLE NAME: %r" % line)
        r = S.client().hello("USA", old["USA"])
        check(r["type"] == "error" and r["code"] == "auth", "the old token opens nothing")
        check("everyone gets a new token" in S.stderr(), "the facilitator is told")
    finally:
        S.kill()
    # A new session never writes through a link, and replaces an old file.
    secret = os.path.join(tmp, "elsewhere")
    with open(secret, "w") as f:
        f.write("keep\n")
    os.symlink(secret, os.path.join(tmp, "k.tokens"))
    r = subprocess.run([DETENTE, "serve", SCEN, "--journal", "k", "--no-console", "--listen", "127.0.0.1:0"], cwd=tmp, capture_output=True, text=True, timeout=20)
    check(r.returncode == 3 and "not a regular file" in r.stderr, "a link at the tokens path is refused: %r" % r.stderr)
    check(open(secret).read() == "keep\n", "nothing written through the link")
    S = Server([SCEN, "--journal", "j"], tmp)
    try:
        check(S.tokens["USA"] not in (old["USA"],) and "replaced the tokens file" in S.stderr(), "a new session replaces the file")
    finally:
        S.kill()


if __name__ == "__main__":
    run_tests(globals())
