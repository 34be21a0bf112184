"""serve_people.py: what the people of a session are told, through the TCP
protocol: decision.closed says how each decision put to a person ended
(answered, overridden, defaulted, or handed to the policy). Run: python3
serve_people.py [NAME]"""
import os, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, check

SCEN = os.path.join(DATA, "serve_basic.lua")


def t_decision_closed(tmp):
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")

        def next_decision():
            n = len([m for m in u.msgs if m["type"] == "decision"])
            f.request({"type": "advance", "to": "decision"})
            u.wait_for(lambda m: m["type"] == "decision" and len([x for x in u.msgs if x["type"] == "decision"]) > n)
            return [m for m in u.msgs if m["type"] == "decision"][-1]["decision"]

        def closed(c, d):
            return c.expect(lambda m: m["type"] == "decision.closed" and m["decision"] == d)

        d1 = next_decision()
        u.request({"type": "answer", "decision": d1, "option": "yes"})
        m = closed(u, d1)
        check(m["how"] == "answered" and m["answer"] == "yes" and m["seat"] == "USA", "answered: %r" % m)
        check(closed(f, d1)["how"] == "answered", "the facilitator is told too")
        d2 = next_decision()
        f.request({"type": "answer", "decision": d2, "option": "no"})
        check(closed(u, d2)["how"] == "overridden", "overridden by the facilitator")
        d3 = next_decision()
        f.request({"type": "advance", "by": "11d"})   # past its 10-day deadline
        m = closed(u, d3)
        check(m["how"] == "defaulted" and m["answer"] == "no", "defaulted at the deadline: %r" % m)
        d4 = next_decision()
        f.request({"type": "seat", "seat": "USA", "human": False})
        check(closed(u, d4)["how"] == "policy", "handed to the policy")
        time.sleep(0.2)
        r.drain(0.1)
        check(not [m for m in r.msgs if m["type"] == "decision.closed"], "another seat is not told")
        # The policy answers later decisions: nobody was asked, nobody is told.
        n = len([m for m in f.msgs if m["type"] == "decision.closed"])
        f.request({"type": "advance", "by": "30d"})
        f.drain(0.3)
        check(len([m for m in f.msgs if m["type"] == "decision.closed"]) == n, "policy decisions are not announced")
    finally:
        S.kill()


TESTS = {n[2:]: fn for n, fn in list(globals().items()) if n.startswith("t_")}

if __name__ == "__main__":
    for n in sys.argv[1:] or list(TESTS):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.time()
            try:
                TESTS[n](tmp)
            except Exception:
                err = os.path.join(tmp, "server.err")
                if os.path.exists(err):
                    sys.stderr.write("--- server stderr ---\n" + open(err).read()[-3000:])
                raise
            print("ok %s (%.1fs)" % (n, time.time() - t0))
