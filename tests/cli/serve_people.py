"""serve_people.py: what the people of a session are told, through the TCP
protocol: decision.closed says how each decision put to a person ended
(answered, overridden, defaulted, or handed to the policy); the white cell's
free-text events reach the seats they name and no others, journaled and
replayed. Run: python3
serve_people.py [NAME]"""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, check, run_tests

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


def t_white_cell_event(tmp):
    import signal, subprocess
    from serve_lib import DETENTE
    args = ["--journal", "j", "--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA,RUS"] + args + ["--step"], tmp, console=True)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        a = f.request({"type": "event", "text": "Reports of a Russian test site being readied", "seats": ["USA"]})
        check(a["type"] == "ack", "a white-cell event for USA: %r" % a)
        e = u.wait_for(lambda m: m.get("kind") == "white_cell.event")
        check(e["text"] == "Reports of a Russian test site being readied" and e["vis"] == "parties" and
              e["parties"] == ["USA"] and e["by"] is None, "USA sees it, marked as for USA only: %r" % e)
        a = f.request({"type": "event", "text": "Markets fall on sanctions news"})
        check(a["type"] == "ack", "a public white-cell event")
        pub = r.wait_for(lambda m: m.get("kind") == "white_cell.event")
        check(pub["text"] == "Markets fall on sanctions news" and pub["vis"] == "public", "RUS sees the public one: %r" % pub)
        check(not [m for m in r.msgs if m.get("text", "").startswith("Reports")], "RUS never sees USA's")
        check(f.request({"type": "event", "text": "x", "seats": ["CHN"]})["code"] == "unknown_seat", "unknown seat")
        check(f.request({"type": "event", "text": "x", "seats": []})["code"] == "bad_field", "an empty list of seats")
        check(u.request({"type": "event", "text": "x"})["code"] == "forbidden", "a seat cannot post one")
        S.console("event @RUS,USA typed on the console")
        S.out.wait_for(lambda l: l.startswith("ok: event @RUS,USA"), what="the typed event's ack")
        r.wait_for(lambda m: m.get("text") == "typed on the console")
        # Journaled: after a crash a reconnecting seat gets it again, same seq, same content.
        S.kill(signal.SIGKILL)
        S = Server(args, tmp, resume="j")
        u2 = S.client("USA")
        again = u2.wait_for(lambda m: m.get("kind") == "white_cell.event")
        check(again == e, "the same event after a resume: %r" % again)
        r2 = S.client("RUS")
        r2.drain(0.3)
        check([m["text"] for m in r2.msgs if m.get("kind") == "white_cell.event"] ==
              ["Markets fall on sanctions news", "typed on the console"], "RUS gets its own again, and only those")
        S.client("facilitator").request({"type": "end"})
        check(S.wait() == 0, "ended")
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay: " + out.stderr)
        live = open(os.path.join(tmp, "live.jsonl")).read()
        check(live == open(os.path.join(tmp, "replay.jsonl")).read() and live.count("white_cell.event") == 3,
              "the replay has the three events")
    finally:
        S.kill()


def t_export(tmp):
    """replay --export DIR: CSV and JSON Lines of what happened, refused moves
    with their reason, decisions with how they closed, white-cell inputs, and
    which events each seat could see."""
    import csv, json, subprocess
    from serve_lib import DETENTE
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp)
    try:
        f, u = S.client("facilitator"), S.client("USA")
        f.request({"type": "advance", "to": "decision"})
        d = u.wait_for(lambda m: m["type"] == "decision")["decision"]
        u.request({"type": "answer", "decision": d, "option": "yes"})
        u.request({"type": "move", "move": "statement", "args": {"text": "hello, \"world\""}})
        u.request({"type": "move", "move": "statement", "args": {}})
        f.request({"type": "event", "text": "for USA only", "seats": ["USA"]})
        f.request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    out = subprocess.run([DETENTE, "replay", "j", "-q", "--export", "out"], cwd=tmp, capture_output=True, text=True)
    check(out.returncode == 0, "replay --export: " + out.stderr)
    o = os.path.join(tmp, "out")
    rows = lambda n: list(csv.DictReader(open(os.path.join(o, n + ".csv"), newline="")))
    moves = rows("moves")
    check([json.loads(m["args"]).get("text") for m in moves] == ['hello, "world"', None], "moves: %r" % moves)
    check(json.loads(moves[1]["result"]) == {"accepted": False, "reason": "a statement needs text"},
          "the refused move and its reason: %r" % moves[1])
    dec = rows("decisions")
    check(dec[0]["id"] == d and dec[0]["how"] == "answered" and dec[0]["answer"] == "yes" and dec[0]["by"] == "USA",
          "decisions: %r" % dec)
    check(dec[0]["real_ms"] != "", "how long the team took, from the inputs' wall stamps: %r" % dec[0])
    wc = [r for r in rows("white_cell") if r["type"] == "event"]
    check(wc and wc[0]["text"] == "for USA only", "white-cell inputs: %r" % wc)
    ev = [json.loads(l) for l in open(os.path.join(o, "events.jsonl"))]
    seq = [e["seq"] for e in ev if e["kind"] == "white_cell.event"][0]
    seen = {(r["seat"], int(r["seq"])) for r in rows("seat_events")}
    check(("USA", seq) in seen and ("RUS", seq) not in seen, "what each seat could see")
    check(len(rows("events")) == len(ev), "events.csv and events.jsonl agree")


if __name__ == "__main__":
    run_tests(globals())
