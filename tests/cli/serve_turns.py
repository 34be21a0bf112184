"""serve_turns.py: a session played in turns (`serve --turns 1mo`), through
the TCP protocol and `detente join`: teams' moves are held in planning, the
umpire adjudicates (refuses, amends), releases, the moves apply in the order
they were submitted, the clock runs to the turn's end and the next turn's
planning begins; each team sees its own moves and their results, the white
cell all of them. A kill -9 in any phase resumes to the same phase, moves and
statuses, and the replayed log equals the live one. Run: python3
serve_turns.py [NAME]"""
import json, os, re, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, Lines, DETENTE, check, run_tests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGSHIP = os.path.join(ROOT, "scripts", "new_start_2026.lua")


def turns(c):
    return [m for m in c.msgs if m["type"] == "turn"]


def turn(c, pred=lambda t: True):
    """The newest turn message for which pred holds (waits for one)."""
    for t in reversed(turns(c)):
        if pred(t):
            return t
    return c.wait_for(lambda m: m["type"] == "turn" and pred(m))


def moves(t):
    return {m["input"]: m for m in t["moves"]}


def t_turn_cycle(tmp):
    log = ["--log", "live.jsonl"]
    S = Server([FLAGSHIP, "--human", "USA,RUS", "--journal", "j", "--turns", "1mo"] + log, tmp)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        t = turn(f)
        check(t["number"] == 1 and t["phase"] == "planning" and t["start"] == "2025-09-22" and
              t["ends"] == "2025-10-22" and t["moves"] == [], "turn 1 opens in planning: %r" % t)
        a1 = r.request({"type": "move", "move": "offer_extension",
                        "args": {"to": "USA", "treaty": "new_start", "years": 1, "deadline": "2026-06-01"}})
        check(a1["type"] == "ack" and a1["held"] is True and a1["turn"] == 1 and "accepted" not in a1,
              "a team's move is held: %r" % a1)
        a2 = r.request({"type": "move", "move": "weapon_test", "args": {"system": "Burevestnik"}})
        a3 = u.request({"type": "move", "move": "public_statement", "args": {"text": "we will see", "tone": "negative"}})
        a4 = r.request({"type": "move", "move": "upload", "args": {"system": "Minuteman III", "n": 10}})
        check(all(a["held"] for a in (a2, a3, a4)), "all held")
        tf = turn(f, lambda t: len(t["moves"]) == 4)
        check([m["input"] for m in tf["moves"]] == [a1["input"], a2["input"], a3["input"], a4["input"]] and
              all(m["status"] == "held" for m in tf["moves"]), "the white cell sees every move: %r" % tf)
        tr = turn(r, lambda t: len(t["moves"]) == 3)
        check({m["seat"] for m in tr["moves"]} == {"RUS"}, "RUS sees its own moves only: %r" % tr)
        check({m["seat"] for m in turn(u, lambda t: len(t["moves"]) == 1)["moves"]} == {"USA"}, "USA its own")
        time.sleep(0.2); r.drain(0.1)
        check(not [m for m in r.events() if m["kind"] in ("proposal.made", "statement.made")],
              "nothing applied in planning")
        check(f.request({"type": "refuse", "input": a2["input"], "reason": "x"})["code"] == "phase",
              "refuse belongs to adjudication")
        check(f.request({"type": "advance", "by": "10d"})["code"] == "turn_mode", "no advance in a turn game")
        check(u.request({"type": "refuse", "input": a2["input"], "reason": "x"})["code"] == "forbidden",
              "a team cannot refuse")

        # kill -9 in planning: the held moves come back.
        S.kill(signal.SIGKILL)
        S = Server(log, tmp, resume="j")
        f = S.client("facilitator")
        check(turn(f) == tf, "after a crash in planning, the same turn: %r" % turn(f))
        check(f.request({"type": "adjudicate"})["type"] == "ack", "adjudicate")
        check(turn(f, lambda t: t["phase"] == "adjudication")["number"] == 1, "adjudication")
        u = S.client("USA")
        e = u.request({"type": "move", "move": "public_statement", "args": {"text": "late"}})
        check(e["code"] == "phase" and "turn 2" in e["message"], "no moves after planning: %r" % e)
        check(f.request({"type": "refuse", "input": 999, "reason": "x"})["code"] == "unknown_input", "unknown input")
        check(f.request({"type": "refuse", "input": a2["input"], "reason": "not in this turn"})["type"] == "ack",
              "refused by the umpire")
        check(f.request({"type": "refuse", "input": a2["input"], "reason": "again"})["code"] == "closed",
              "refused once")
        check(f.request({"type": "amend", "input": a3["input"], "reason": "tone it down",
                         "args": {"text": "we note the offer", "tone": "neutral"}})["type"] == "ack", "amended")
        ta = turn(f, lambda t: moves(t)[a3["input"]]["status"] == "amended")

        # kill -9 in adjudication: the statuses come back.
        S.kill(signal.SIGKILL)
        S = Server(log, tmp, resume="j")
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        check(turn(f) == ta, "after a crash in adjudication, the same statuses: %r" % turn(f))
        rel = f.request({"type": "release"})
        check(rel["type"] == "ack" and rel["applied"] == 2 and rel["refused"] == 2, "released: %r" % rel)
        # The clock runs to the turn's end, then turn 2's planning begins.
        t2 = turn(r, lambda t: t["number"] == 2)
        check(t2["phase"] == "planning" and t2["start"] == "2025-10-22" and t2["moves"] == [], "turn 2: %r" % t2)
        tr = turn(r, lambda t: t["number"] == 1 and t["phase"] == "running")
        mr = moves(tr)
        check(mr[a1["input"]]["status"] == "applied", "the offer applied: %r" % mr)
        check(mr[a2["input"]] == dict(mr[a2["input"]], status="refused", by="umpire", reason="not in this turn"),
              "refused by the umpire, with the reason: %r" % mr[a2["input"]])
        check(mr[a4["input"]]["status"] == "refused" and mr[a4["input"]]["by"] == "scenario" and
              "Minuteman III" in mr[a4["input"]]["reason"], "refused by the scenario at release: %r" % mr[a4["input"]])
        mu = moves(turn(u, lambda t: t["number"] == 1 and t["phase"] == "running"))
        check(list(mu) == [a3["input"]] and mu[a3["input"]]["status"] == "applied" and mu[a3["input"]]["amended"] and
              mu[a3["input"]]["args"]["text"] == "we note the offer" and
              mu[a3["input"]]["submitted"]["text"] == "we will see" and mu[a3["input"]]["reason"] == "tone it down",
              "USA: its move applied as amended, with the reason: %r" % mu)
        st = u.expect(lambda m: m.get("kind") == "statement.made")
        check("we note the offer" in st["text"], "the amended move took effect: %r" % st)
        pm = u.expect(lambda m: m.get("kind") == "proposal.made")
        check(pm["date"] == "2025-09-22", "released moves apply at the turn's start: %r" % pm)
        check([m["data"]["input"] for m in r.events() if m["kind"] == "move.refused"] == [a2["input"], a4["input"]],
              "the refusals on RUS's timeline")
        check(not [m for m in u.events() if m["kind"] in ("move.refused", "move.held") and m["by"] == "RUS"],
              "USA never sees RUS's moves being held or refused")
        st = f.request({"type": "status"})
        check(st["turn"] == {"number": 2, "phase": "planning", "ends": "2025-11-22"} and st["clock"] == "2025-10-22",
              "status: %r" % st)

        # Turn 2: a move, released at once; kill -9 right after the release.
        h = u.request({"type": "move", "move": "public_statement", "args": {"text": "turn two"}})
        check(h["held"] and h["turn"] == 2, "held for turn 2: %r" % h)
        f.request({"type": "adjudicate"})
        f.send({"type": "release", "id": "rel2"})
        f.wait_for(lambda m: m.get("id") == "rel2")
        S.kill(signal.SIGKILL)
        S = Server(log, tmp, resume="j")
        f = S.client("facilitator")
        t3 = turn(f, lambda t: t["number"] == 3)
        check(t3["phase"] == "planning" and t3["start"] == "2025-11-22", "the released turn ran on after the resume")
        f.request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
    check(out.returncode == 0, "replay: " + out.stderr)
    live = open(os.path.join(tmp, "live.jsonl")).read()
    check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the replayed log equals the live one")
    out = subprocess.run([DETENTE, "replay", "j", "-q", "--export", "out"], cwd=tmp, capture_output=True, text=True)
    check(out.returncode == 0, "replay --export: " + out.stderr)
    import csv
    rows = list(csv.DictReader(open(os.path.join(tmp, "out", "moves.csv"), newline="")))
    types = [r["type"] for r in rows]
    check(types.count("refuse") == 1 and types.count("amend") == 1 and types.count("release") == 2 and
          types.count("adjudicate") == 2, "the umpire's inputs in moves.csv: %r" % types)
    kinds = [json.loads(l).get("kind") for l in live.splitlines()]
    check(kinds.count("turn") == 3 + 3 + 1 and kinds.count("move.amended") == 1, "kinds: %r" % kinds)


def t_planning_time(tmp):
    """--planning: a turn's planning closes by itself after that much real
    time; the deadline is journaled, so a resume keeps it (one that passed
    while the server was down closes at once)."""
    S = Server([FLAGSHIP, "--human", "USA,RUS", "--journal", "j", "--turns", "1mo", "--planning", "2s",
                "--log", "live.jsonl"], tmp)
    try:
        f, u = S.client("facilitator"), S.client("USA")
        t = turn(u)
        now_ms = time.time() * 1000
        check(t["phase"] == "planning" and 0 < t["closes"] - now_ms <= 2100, "planning closes in 2 s: %r" % t)
        check(u.request({"type": "move", "move": "public_statement", "args": {"text": "quick"}})["held"], "held")
        t2 = turn(u, lambda t: t["phase"] == "adjudication")
        check(time.time() * 1000 >= t["closes"] - 50 and "closes" not in t2, "closed on time: %r" % t2)
        e = f.expect(lambda m: m.get("kind") == "turn" and m["data"]["phase"] == "adjudication")
        check("the planning time is up" in e["text"], "on the timeline: %r" % e)
        f.request({"type": "release"})
        t3 = turn(f, lambda t: t["number"] == 2)
        # Killed in turn 2's planning; back after its deadline passed: closed at once.
        S.kill(signal.SIGKILL)
        time.sleep(max(0, t3["closes"] / 1000 - time.time()) + 0.2)
        S = Server(["--log", "live.jsonl"], tmp, resume="j")
        f = S.client("facilitator")
        t4 = turn(f, lambda t: t["number"] == 2 and t["phase"] == "adjudication")
        check(t4["moves"] == [], "turn 2 closed after the resume: %r" % t4)
        f.request({"type": "end"})
        check(S.wait() == 0, "ended")
    finally:
        S.kill()
    out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
    check(out.returncode == 0, "replay: " + out.stderr)
    check(open(os.path.join(tmp, "live.jsonl")).read() == open(os.path.join(tmp, "replay.jsonl")).read(),
          "the replayed log equals the live one")


class Join:
    def __init__(self, S, seat, tmp):
        self.p = subprocess.Popen([DETENTE, "join", "127.0.0.1:%d" % S.port, "--seat", seat, "--token", S.tokens[seat]],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp)
        self.out = Lines(self.p.stdout)

    def type(self, line):
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()

    def said(self, pred, what):
        return self.out.wait_for(pred, what=what, timeout=15)

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        self.p.stdout.close()
        self.p.stdin.close()


def t_join_turn_cycle(tmp):
    """The issue's end-to-end test: two teams and the white cell, each with
    `detente join`, play the flagship through one full turn."""
    S = Server([FLAGSHIP, "--human", "USA,RUS", "--journal", "j", "--turns", "1mo"], tmp)
    js = []
    try:
        usa, rus, cell = (Join(S, s, tmp) for s in ("USA", "RUS", "facilitator"))
        js = [usa, rus, cell]
        for j in js:
            j.said(lambda l: l.startswith("turn 1: planning, runs to 2025-10-22"), "turn 1 planning")
            j.out.until_quiet(0.2)
            check(len([l for l in j.out.lines if l.startswith("turn 1: planning")]) == 1,
                  "the turn once after joining: %r" % j.out.lines)
        rus.type("move offer_extension to=USA treaty=new_start years=1 deadline=2026-06-01")
        held = rus.said(lambda l: l.startswith("held: move offer_extension"), "the offer held")
        n_offer = int(held.split("(input ")[1].split(",")[0])
        rus.type("move weapon_test system=Burevestnik")
        n_test = int(rus.said(lambda l: l.startswith("held: move weapon_test"), "the test held").split("(input ")[1].split(",")[0])
        usa.type('move public_statement text="we will see" tone=negative')
        n_stmt = int(usa.said(lambda l: l.startswith("held: move public_statement"), "USA's statement held")
                     .split("(input ")[1].split(",")[0])
        usa.type("move pledge treaty=new_start until=2027-02-01")
        usa.said(lambda l: l.startswith("held: move pledge"), "USA's pledge held")
        cell.said(lambda l: l.startswith("turn 1: planning") and l.count("#") == 4, "the white cell sees all four")
        cell.type("adjudicate")
        cell.said(lambda l: l.startswith("ok: adjudicate"), "adjudicate")
        usa.said(lambda l: l.startswith("turn 1: adjudication"), "USA sees the phase change")
        cell.type("refuse %d not in this turn: the test site is not ready" % n_test)
        cell.said(lambda l: l.startswith("ok: refuse"), "refused")
        cell.type('amend %d text="we note the offer" tone=neutral -- tone it down' % n_stmt)
        cell.said(lambda l: l.startswith("ok: amend"), "amended")
        cell.type("release")
        rel = cell.said(lambda l: l.startswith("ok: release"), "released")
        # The teams see their results, and the next turn.
        ru = rus.said(lambda l: l.startswith("turn 1: running"), "RUS's results")
        check("#%d RUS offer_extension" % n_offer in ru and "applied" in ru and
              "refused by the umpire: not in this turn: the test site is not ready" in ru and not re.search(r"#\d+ USA", ru),
              "RUS's moves and only those: %r" % ru)
        us = usa.said(lambda l: l.startswith("turn 1: running"), "USA's results")
        check("text=we note the offer tone=neutral applied (amended) by the umpire: tone it down" in us and
              "pledge treaty=new_start until=2027-02-01 applied" in us, "USA's results: %r" % us)
        check([l for l in usa.out.lines if l.startswith("2025-09-22") and "we note the offer" in l],
              "the amended statement on USA's timeline, at the turn's start")
        rus.said(lambda l: l.startswith("turn 2: planning, runs to 2025-11-22"), "RUS: turn 2")
        usa.said(lambda l: l.startswith("turn 2: planning, runs to 2025-11-22"), "USA: turn 2")
        usa.type("status")
        st = usa.said(lambda l: l.startswith("clock "), "status")
        check(st.startswith("clock 2025-10-22") and "; turn 2 planning, runs to 2025-11-22" in st,
              "the clock advanced to the turn's end: %r" % st)
        cell.type("end")
        for j in js:
            j.said(lambda l: l.startswith("session ended"), "the end")
        check(S.wait() == 0, "ended")
    finally:
        for j in js:
            j.stop()
        S.kill()


if __name__ == "__main__":
    run_tests(globals())
