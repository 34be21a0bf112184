"""serve_log.py: the log of a session has the broadcasts and the refused
moves (journal version 2): live, after a kill -9 and resume, and in `detente
replay`, identically; a refused move is seen by its seat only. A version 1
journal (tests/cli/data/session_v1.journal, written before) replays as it
always did. Run: python3 serve_log.py [NAME]"""
import json, os, signal, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, DETENTE, check, run_tests

SCEN = os.path.join(DATA, "serve_basic.lua")


def kinds(path):
    return [json.loads(l) for l in open(path) if l.startswith('{"seq"')]


def t_broadcast_and_refused(tmp):
    args = ["--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA,RUS", "--journal", "j", "--step"] + args, tmp)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        a = u.request({"type": "move", "move": "statement", "args": {}})
        check(a["type"] == "ack" and a["accepted"] is False, "refused by validate: %r" % a)
        e = u.expect(lambda m: m.get("kind") == "move.refused")
        check(e["by"] == "USA" and e["vis"] == "private" and e["parties"] == ["USA"] and
              e["data"] == {"move": "statement", "reason": "a statement needs text", "by": "scenario",
                            "input": a["input"]}, "the refusal on USA's timeline: %r" % e)
        check(u.request({"type": "move", "move": "statement"})["accepted"] is False, "refused again")
        f.request({"type": "broadcast", "text": "ten minutes to the next turn"})
        b = r.expect(lambda m: m.get("kind") == "broadcast")
        check(b["text"] == "ten minutes to the next turn" and b["vis"] == "public" and
              b["data"] == {"from": "facilitator"}, "the broadcast on the timeline: %r" % b)
        r.expect(lambda m: m["type"] == "message")   # and still as a message
        check(not [m for m in r.msgs if m.get("kind") == "move.refused"], "RUS never sees USA's refusal")
        fe = f.expect(lambda m: m.get("kind") == "broadcast")
        check([m["kind"] for m in f.events()].count("move.refused") == 2, "the facilitator sees both refusals")
        S.kill(signal.SIGKILL)
        S = Server(args, tmp, resume="j")
        u2 = S.client("USA")
        u2.wait_for(lambda m: m.get("seq") == fe["seq"])
        check([m for m in u2.events() if m["seq"] == e["seq"]] == [e], "the same refusal after the resume")
        S.client("facilitator").request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp,
                         capture_output=True, text=True)
    check(out.returncode == 0, "replay: " + out.stderr)
    live = open(os.path.join(tmp, "live.jsonl")).read()
    check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the replayed log equals the live one")
    ks = [e["kind"] for e in kinds(os.path.join(tmp, "replay.jsonl"))]
    check(ks.count("move.refused") == 2 and ks.count("broadcast") == 1, "kinds: %r" % ks)


def t_version_1_journal(tmp):
    """A journal written before version 2 replays as it did: no new events,
    so the seq numbers of its events are what its clients were sent."""
    j = os.path.join(DATA, "session_v1.journal")
    out = subprocess.run([DETENTE, "replay", j, "--log", "old.jsonl", "-q"], cwd=os.path.join(DATA, "../../.."),
                         capture_output=True, text=True)
    check(out.returncode == 0, "replay of a version 1 journal: " + out.stderr)
    ev = kinds(os.path.join(DATA, "../../../old.jsonl"))
    os.unlink(os.path.join(DATA, "../../../old.jsonl"))
    check([e["seq"] for e in ev] == list(range(1, 9)), "seqs as they were: %r" % [e["seq"] for e in ev])
    check(not [e for e in ev if e["kind"] in ("broadcast", "move.refused")], "no new kinds in an old journal")
    check([e["kind"] for e in ev][5] == "statement.made", "the accepted move where it was")


if __name__ == "__main__":
    run_tests(globals())
