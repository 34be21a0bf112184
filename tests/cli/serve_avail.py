"""serve_avail.py: a seat is offered only the moves whose declared
preconditions hold (move{ available = fn(state) }), through the TCP protocol:
welcome.moves and a `moves` message when the offer changes, a move not
offered is refused (`unavailable`), the facilitator is offered every move;
a precondition that draws a random number fails like any scenario error;
the preconditions run at the same points live, after a kill -9 and resume,
and in `detente replay` (the count of their calls is an outcome, so the logs
agree only if they did). Run: python3 serve_avail.py [NAME]"""
import json, os, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, DETENTE, check, run_tests

SCEN = os.path.join(DATA, "serve_avail.lua")


def names(ms):
    return [m["name"] for m in ms]


def offers(c):
    return [names(m["moves"]) for m in c.msgs if m["type"] == "moves"]


def replay_equal(tmp):
    out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
    check(out.returncode == 0, "replay: " + out.stderr)
    live = open(os.path.join(tmp, "live.jsonl")).read()
    check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the replayed log equals the live one")
    end = json.loads(live.splitlines()[-1])
    return end["outcomes"]["checks"]


def t_offered(tmp):
    log = ["--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"] + log, tmp)
    try:
        f, u = S.client("facilitator"), S.client("USA")
        w = [m for m in u.msgs if m["type"] == "welcome"][0]
        check(names(w["moves"]) == ["statement", "gamble"], "USA is offered what holds: %r" % names(w["moves"]))
        fw = [m for m in f.msgs if m["type"] == "welcome"][0]
        check(names(fw["moves"]) == ["statement", "de_escalate", "gamble"], "the white cell, every move")
        e = u.request({"type": "move", "move": "de_escalate"})
        check(e["type"] == "error" and e["code"] == "unavailable", "a move not offered: %r" % e)
        f.request({"type": "inject", "name": "crisis"})
        m = u.wait_for(lambda m: m["type"] == "moves")
        check(names(m["moves"]) == ["statement", "de_escalate", "gamble"], "offered once the crisis began: %r" % m)
        check(m["moves"][0]["args"][0]["name"] == "text", "with the forms welcome carries")
        a = u.request({"type": "move", "move": "de_escalate"})
        check(a["type"] == "ack" and a["accepted"], "made: %r" % a)
        u.wait_for(lambda m: m["type"] == "moves")
        check(offers(u) == [["statement", "de_escalate", "gamble"], ["statement", "gamble"]], "withdrawn: %r" % offers(u))
        f.request({"type": "advance", "by": "30d"})
        f.wait_for(lambda m: m.get("kind") == "tick" and m["date"] == "2026-01-31")
        u.drain(0.2)
        check(len(offers(u)) == 2, "no message while the offer does not change: %r" % offers(u))
        # A precondition may not draw a random number: the inject that would
        # make it do so fails as a scenario error, and changes nothing.
        e = f.request({"type": "inject", "name": "spoil"})
        check(e["type"] == "error" and e["code"] == "script_error" and
              "available() may not draw random numbers" in e["message"], "the guard: %r" % e)
        check(u.request({"type": "move", "move": "gamble"})["accepted"], "the failed inject changed nothing")
        f.request({"type": "inject", "name": "crisis"})
        u.wait_for(lambda m: m["type"] == "moves" and "de_escalate" in names(m["moves"]))
        S.kill(signal.SIGKILL)
        S = Server(log, tmp, resume="j")
        u = S.client("USA")
        w = [m for m in u.msgs if m["type"] == "welcome"][0]
        check(names(w["moves"]) == ["statement", "de_escalate", "gamble"], "the offer survives a crash: %r" % w["moves"])
        S.client("facilitator").request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    check(replay_equal(tmp) > 0, "the preconditions ran")


def t_points_with_a_running_clock(tmp):
    """The clock at pace ticks often with nothing due: preconditions run only
    after a step or an input, so the replay, which has no idle ticks, runs
    them as often."""
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--pace", "1d=15ms", "--log", "live.jsonl"], tmp)
    try:
        f, u = S.client("facilitator"), S.client("USA")
        for i in range(4):
            time.sleep(0.15)
            f.request({"type": "inject", "name": "crisis"})
            time.sleep(0.1)
            u.request({"type": "move", "move": "de_escalate"})
        f.request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    n = replay_equal(tmp)
    check(n > 10, "the preconditions ran %d times" % n)


if __name__ == "__main__":
    run_tests(globals())
