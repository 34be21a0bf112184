"""serve_branch.py: `detente serve --resume OLD --branch-at SEQ --journal NEW`
starts a new session from the state at event SEQ of an old one (what if the
team had answered otherwise?), leaves the old journal as it was, and the new
journal replays by itself."""
import hashlib, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import DETENTE, Server

SCEN = os.path.abspath("tests/cli/data/serve_basic.lua")
tmp = tempfile.mkdtemp(prefix="serve_branch.")
fails = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        fails.append(what)


def replay(journal):
    r = subprocess.run([DETENTE, "replay", journal], capture_output=True, text=True, cwd=tmp)
    return r.returncode, r.stdout, r.stderr


# The original game: USA answers "yes" to D1, then the game goes on.
old = os.path.join(tmp, "old.journal")
s = Server([SCEN, "--human", "USA", "--step", "--journal", old], tmp)
fac, usa = s.client("facilitator"), s.client("USA")
fac.request({"type": "advance", "to": "decision"})
asked = usa.wait_for(lambda m: m["type"] == "event" and m["kind"] == "decision.asked")
usa.wait_for(lambda m: m["type"] == "decision")
check(usa.request({"type": "answer", "decision": "D1", "option": "yes"})["type"] == "ack", "USA answers D1 yes")
fac.request({"type": "advance", "by": "10d"})
fac.request({"type": "end"})
s.wait()
digest = hashlib.sha256(open(old, "rb").read()).hexdigest()
rc, out_old, _ = replay(old)
check(rc == 0 and "USA decides answer: yes" in out_old, "the old session answered yes")

# The branch at the question: D1 is open again, and this time it is "no".
new = os.path.join(tmp, "new.journal")
b = Server(["--branch-at", str(asked["seq"]), "--journal", new, "--step"], tmp, resume=old)
check("branched from" in b.stderr(), "the server says it branched")
fac, usa = b.client("facilitator"), b.client("USA")
st = fac.request({"type": "status"})
check([d["decision"] for d in st["decisions"]] == ["D1"], "D1 is pending again in the branch")
check(st["clock"] == asked["date"] or st["clock"].startswith(asked["date"]), "the branch starts at the question's date")
check(usa.request({"type": "answer", "decision": "D1", "option": "no"})["type"] == "ack", "USA answers D1 no in the branch")
fac.request({"type": "end"})
b.wait()
check(hashlib.sha256(open(old, "rb").read()).hexdigest() == digest, "the old journal is untouched")
rc, out_new, err = replay(new)
check(rc == 0, "the new journal replays by itself " + err[-200:])
check("USA decides answer: no" in out_new and "USA decides answer: yes" not in out_new, "the branch tells the other answer")
head_old = out_old.split("USA decides answer")[0]
head_new = out_new.split("USA decides answer")[0]
check(head_old == head_new, "up to the question, the branch is the old session")

# Misuse is refused clearly.
for args, want in ((["--branch-at", "5"], "needs --resume"),
                   (["--resume", old, "--branch-at", "5"], "--journal"),
                   (["--resume", old, "--branch-at", "5", "--journal", old], "another file"),
                   (["--resume", old, "--branch-at", "999999", "--journal", os.path.join(tmp, "x.journal")], "never reached")):
    r = subprocess.run([DETENTE, "serve", "--no-console", "--listen", "127.0.0.1:0"] + args + ([] if "--resume" in args else [SCEN]),
                       capture_output=True, text=True, cwd=tmp, timeout=30)
    check(r.returncode == 2 and want in r.stderr, f"refused: {' '.join(args)[:60]} ({r.stderr.strip()[:80]})")

print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
