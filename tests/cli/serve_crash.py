"""serve_crash.py: what survives a crash of `detente serve`, through the
TCP protocol: the clock's settings, events the clock produced, retried inputs
(idempotency keys), the bad-message limit, and the kill -9 soak (kills at
random moments, right after `advance` and during bursts of retried inputs).
Run one test: python3 serve_crash.py NAME."""
import json, os, random, re, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, DETENTE, check, run_tests

SCEN = os.path.join(DATA, "serve_basic.lua")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")


def status(S):
    f = S.client("facilitator")
    st = f.request({"type": "status"})
    f.close()
    return st


def t_clock_settings(tmp):
    """--step and --pace are journaled and come back on --resume; a resume
    with clock options changes them (journaled too); `resume` in step mode
    does not start the clock."""
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp)
    try:
        f = S.client("facilitator")
        check(f.request({"type": "advance", "by": "3d"})["type"] == "ack", "advance acked")
        time.sleep(0.3)
        r = f.request({"type": "resume"})
        check(r["type"] == "error" and r["code"] == "step_mode", "resume refused in step mode: %r" % r)
        t0 = f.request({"type": "status"})["t"]
        time.sleep(0.4)
        check(f.request({"type": "status"})["t"] == t0, "the step-mode clock does not move on its own")
        S.kill(signal.SIGKILL)
        S = Server(["--journal", "j"], tmp, resume="j")
        st = status(S)
        check(st["mode"] == "step" and st["paused"], "step mode survives --resume: %r" % st)
        check(st["t"] >= t0, "the clock is not rewound: %d < %d" % (st["t"], t0))
        time.sleep(0.4)
        check(status(S)["t"] == st["t"], "and the clock still waits for advance")
        S.kill(signal.SIGKILL)
        S = Server(["--journal", "j", "--pace", "1d=10ms"], tmp, resume="j")
        st = status(S)
        check(st["mode"] == "pace" and not st["paused"], "a resume with --pace switches to pace: %r" % st)
        time.sleep(0.5)
        check(status(S)["t"] > st["t"] + 86400 * 10, "and the clock runs at the new pace")
        S.kill(signal.SIGKILL)
        S = Server(["--journal", "j"], tmp, resume="j")
        st = status(S)
        check(st["mode"] == "pace", "the change was journaled: %r" % st)
    finally:
        S.kill()


def t_retry(tmp):
    """A move or answer retried with the same id after a reconnect is applied
    once and answered as the first time; the same id for another input is
    refused."""
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step", "--log", "live.jsonl"], tmp)
    try:
        f = S.client("facilitator")
        u = S.client("USA")
        mv = {"type": "move", "id": "m-1", "move": "statement", "args": {"text": "once"}}
        u.send(mv)
        a1 = u.wait_for(lambda m: m.get("id") == "m-1")
        check(a1["type"] == "ack" and a1["accepted"] and "repeated" not in a1, "first ack: %r" % a1)
        u.close()
        u = S.client("USA", last_seq=1000)
        u.send(mv)
        a2 = u.wait_for(lambda m: m.get("id") == "m-1")
        check(a2["type"] == "ack" and a2["input"] == a1["input"] and a2["accepted"] and a2["repeated"],
              "the retry gets the first answer: %r" % a2)
        u.send(dict(mv, args={"text": "twice"}))
        e = u.wait_for(lambda m: m.get("id") == "m-1")
        check(e["type"] == "error" and e["code"] == "duplicate_id", "same id, other input: %r" % e)
        # Integer ids are keys too, and a refused move is answered the same way.
        u.send({"type": "move", "id": 7, "move": "statement", "args": {}})
        r1 = u.wait_for(lambda m: m.get("id") == 7)
        u.send({"type": "move", "id": 7, "move": "statement", "args": {}})
        r2 = u.wait_for(lambda m: m.get("id") == 7)
        check(not r1["accepted"] and r2["repeated"] and r2["reason"] == r1["reason"], "refusal repeated: %r" % r2)
        # An answer retried after a crash.
        f.request({"type": "advance", "to": "decision"})
        d = u.wait_for(lambda m: m["type"] == "decision")
        ans = {"type": "answer", "id": "a-1", "decision": d["decision"], "option": "yes"}
        u.send(ans)
        x1 = u.wait_for(lambda m: m.get("id") == "a-1")
        S.kill(signal.SIGKILL)
        S = Server(["--journal", "j", "--log", "live.jsonl"], tmp, resume="j")
        u = S.client("USA")
        u.send(ans)
        x2 = u.wait_for(lambda m: m.get("id") == "a-1")
        check(x2["type"] == "ack" and x2["input"] == x1["input"] and x2["repeated"], "answer retried: %r" % x2)
        # Ids are keyed per seat: the facilitator's "m-1" is not USA's.
        g = S.client("facilitator")
        g.send({"type": "broadcast", "id": "m-1", "text": "hello"})
        b = g.wait_for(lambda m: m.get("id") == "m-1")
        check(b["type"] == "ack" and "repeated" not in b, "the facilitator's m-1 is its own: %r" % b)
        g.request({"type": "end"})
        check(S.wait() == 0, "ended")
        log = open(os.path.join(tmp, "live.jsonl")).read()
        check(log.count('"text":"USA: once"') == 1, "the move was applied once")
        check(log.count('"kind":"decision.made"') == 1, "the answer was applied once")
        # Every date in every message has the log's one format.
        for m in u.msgs + g.msgs:
            for key in ("date", "clock", "asked", "deadline"):
                v = m.get(key)
                check(v is None or DATE.match(v), "date format of %s: %r" % (key, m))
    finally:
        S.kill()


def t_bad_limit(tmp):
    """After exactly 20 bad messages the connection is closed, and the
    server logs it once, however many more were already sent."""
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp)
    try:
        u = S.client("USA")
        for i in range(19):
            u.send_raw(b"garbage\n")
        check(u.request({"type": "ping"})["type"] == "pong", "19 bad messages: still served")
        u.send_raw(b"garbage\n" * 30)
        check(u.closed(), "the 20th closes the connection")
        msgs = u.msgs + [json.loads(l) for l in u.buf.split(b"\n") if l.strip()]
        errs = [m for m in msgs if m.get("type") == "error"]
        check(len([m for m in errs if m["code"] == "bad_json"]) == 20, "20 errors answered: %d" % len(errs))
        check(errs[-1]["code"] == "abuse", "then abuse: %r" % errs[-1])
        time.sleep(0.2)
        check(S.stderr().count("too many bad messages") == 1, "logged once:\n" + S.stderr())
    finally:
        S.kill()


def t_kill(tmp):
    """kill -9 at random moments, right after advance and in bursts of
    retried inputs: no acknowledged input lost or applied twice, no seq ever
    reissued with other content, and the resumed log equals a clean replay."""
    cycles = int(os.environ.get("SERVE_KILL_CYCLES", "200"))
    rng = random.Random(int(os.environ.get("SERVE_KILL_SEED", "15")))
    args = ["--journal", "j", "--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA", "--pace", "1d=40ms"] + args, tmp)
    got = {}                   # seq -> event, as any client received it, across every crash
    acked, inputs = {}, {}     # move id -> text; id -> input number of its first ack
    pending = {}               # id -> message sent and never acknowledged: retried later
    stats = {"clock": 0, "advance": 0, "burst": 0, "stream": 0, "repeated": 0}
    k = 0

    def absorb(c, start):
        for m in c.msgs[start:]:
            if m.get("type") == "event":
                e = dict(m); del e["type"]
                old = got.setdefault(e["seq"], e)
                check(old == e, "seq %d reissued with other content:\n  %r\n  %r" % (e["seq"], old, e))
            elif m.get("type") == "ack" and m.get("id") in pending:
                i = m["id"]
                msg = pending.pop(i)
                if m.get("repeated"):
                    stats["repeated"] += 1
                if i in inputs:
                    check(inputs[i] == m["input"], "a retry is answered with the first input number: %r" % m)
                inputs[i] = m["input"]
                if msg["type"] == "move":
                    acked[i] = msg["args"]["text"]
            elif m.get("type") == "error":
                check(m.get("code") in ("closed", "not_human"), "unexpected error: %r" % m)
                pending.pop(m.get("id"), None)   # an answer to a decision the deadline closed
        return len(c.msgs)

    def send(c, msg):
        pending[msg["id"]] = msg
        c.send(msg)

    try:
        for cycle in range(cycles):
            # Reconnect from a random point of what we hold: a seq we hold must
            # come back with the same content.
            since = rng.choice([0, max(got) if got else 0, rng.randrange(max(got)) if got else 0])
            f = S.client("facilitator", last_seq=since)
            u = S.client("USA", last_seq=since)
            nf = nu = 0
            # Retry everything never acknowledged, and a few inputs that were.
            for msg in list(pending.values()):
                u.send(msg)
            for i in rng.sample(sorted(acked, key=str), min(2, len(acked))):
                send(u, {"type": "move", "id": i, "move": "statement", "args": {"text": acked[i]}})
            what = rng.random()
            if what < 0.2:
                # The clock alone: killed the moment one of its events arrives.
                stats["clock"] += 1
                f.drain(0.02)
                nf = absorb(f, nf)
                try:
                    f.wait_for(lambda m: m.get("type") == "event", 0.8)
                except AssertionError:
                    pass
                deadline = 0
            elif what < 0.45:
                stats["advance"] += 1
                k += 1
                f.send({"type": "advance", "id": "f%d" % k, "by": rng.choice(["1d", "2d", "5d", "10d"])})
                deadline = time.time() + rng.uniform(0, 0.05)
            elif what < 0.75:
                stats["burst"] += 1
                for _ in range(rng.randrange(3, 12)):
                    k += 1
                    send(u, {"type": "move", "id": k, "move": "statement", "args": {"text": "m%d" % k}})
                for msg in list(pending.values()):   # the whole burst again, at once
                    u.send(msg)
                deadline = time.time() + rng.uniform(0, 0.04)
            else:
                stats["stream"] += 1
                deadline = time.time() + rng.uniform(0.02, 0.15)
            while time.time() < deadline:
                if len([p for p in pending.values() if p["type"] == "move"]) < 6:
                    k += 1
                    send(u, {"type": "move", "id": k, "move": "statement", "args": {"text": "m%d" % k}})
                m = u.recv(0.005)
                if m and m["type"] == "decision" and rng.random() < 0.7:
                    k += 1
                    send(u, {"type": "answer", "id": "a%d" % k, "decision": m["decision"],
                             "option": rng.choice(["yes", "no"])})
                nu = absorb(u, nu)
                f.recv(0.001)
                nf = absorb(f, nf)
            S.kill(signal.SIGKILL)
            # What reached the clients before the kill counts too.
            for c in (u, f):
                while c.recv(0) is not None:
                    pass
            nu = absorb(u, nu); nf = absorb(f, nf)
            S = Server(args, tmp, resume="j")
        f = S.client("facilitator")
        f.request({"type": "end"})
        f.wait_for(lambda m: m["type"] == "bye")
        absorb(f, 0)
        check(S.wait() == 0, "ended cleanly")
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay: " + out.stderr)
        live = open(os.path.join(tmp, "live.jsonl")).read()
        check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the resumed log equals a clean replay")
        final = {}
        for line in live.splitlines():
            e = json.loads(line)
            if "seq" in e:
                final[e["seq"]] = e
        for seq, e in got.items():
            check(final.get(seq) == e, "seq %d as a client got it differs from the log:\n  %r\n  %r" % (seq, e, final.get(seq)))
        texts = [json.loads(l)["text"] for l in live.splitlines() if '"statement.made"' in l]
        check(len(texts) == len(set(texts)), "no input applied twice")
        missing = set("USA: " + t for t in acked.values()) - set(texts)
        check(not missing, "no acknowledged input lost: %r" % sorted(missing)[:5])
        print("kill: %d cycles (%d as a clock event arrives, %d right after advance, %d retry bursts, %d streams), "
              "%d events checked, %d acknowledged moves, %d retries answered as repeated"
              % (cycles, stats["clock"], stats["advance"], stats["burst"], stats["stream"], len(got), len(acked),
                 stats["repeated"]))
    finally:
        S.kill()


def t_kill_turns(tmp):
    """kill -9 at random moments of a session played in turns (--turns 5d):
    while moves are held, in adjudication (refuse, amend), right after a
    release: no acknowledged move lost or held twice, the turn comes back in
    its phase with its moves, no seq reissued with other content, and the
    resumed log equals a clean replay."""
    cycles = int(os.environ.get("SERVE_KILL_TURN_CYCLES", "60"))
    rng = random.Random(int(os.environ.get("SERVE_KILL_SEED", "15")))
    args = ["--journal", "j", "--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA", "--turns", "5d"] + args, tmp)
    got, pending, held = {}, {}, {}   # seq -> event; id -> message; input -> turn of each held ack
    stats = {"planning": 0, "adjudication": 0, "release": 0, "kills_in": {}}
    k = 0

    def absorb(c, start):
        for m in c.msgs[start:]:
            if m.get("type") == "event":
                e = dict(m); del e["type"]
                old = got.setdefault(e["seq"], e)
                check(old == e, "seq %d reissued with other content:\n  %r\n  %r" % (e["seq"], old, e))
            elif m.get("type") == "ack" and m.get("id") in pending:
                pending.pop(m["id"])
                if m.get("held"):
                    check(held.setdefault(m["input"], m["turn"]) == m["turn"], "held in one turn: %r" % m)
            elif m.get("type") == "error" and m.get("id") in pending:
                check(m["code"] in ("phase", "closed", "unknown_input"), "unexpected error: %r" % m)
                pending.pop(m["id"])
        return len(c.msgs)

    def send(c, msg):
        pending[msg["id"]] = msg
        c.send(msg)

    try:
        for cycle in range(cycles):
            f = S.client("facilitator", last_seq=max(got) if got else 0)
            u = S.client("USA", last_seq=max(got) if got else 0)
            t = f.wait_for(lambda m: m["type"] == "turn")
            stats["kills_in"][t["phase"]] = stats["kills_in"].get(t["phase"], 0) + 1
            mine = {m["input"] for m in t["moves"]}
            lost = [i for i, n in held.items() if n == t["number"] and i not in mine]
            check(not lost, "held moves of turn %d lost in a crash: %r (the turn: %r)" % (t["number"], lost, t))
            for msg in list(pending.values()):
                (f if msg["type"] != "move" else u).send(msg)
            nf = nu = 0
            if t["phase"] == "planning":
                stats["planning"] += 1
                for _ in range(rng.randrange(1, 5)):
                    k += 1
                    send(u, {"type": "move", "id": k, "move": "statement", "args": {"text": "m%d" % k}})
                if rng.random() < 0.5:
                    k += 1
                    send(f, {"type": "adjudicate", "id": "f%d" % k})
            else:
                stats["adjudication"] += 1
                for m in t["moves"]:
                    if m["status"] == "refused" or rng.random() < 0.5:
                        continue
                    k += 1
                    if rng.random() < 0.5:
                        send(f, {"type": "refuse", "id": "f%d" % k, "input": m["input"], "reason": "r%d" % k})
                    else:
                        send(f, {"type": "amend", "id": "f%d" % k, "input": m["input"], "reason": "a%d" % k,
                                 "args": {"text": "amended %d" % k}})
                if rng.random() < 0.6:
                    stats["release"] += 1
                    k += 1
                    send(f, {"type": "release", "id": "f%d" % k})
            deadline = time.time() + rng.uniform(0, 0.06)
            while time.time() < deadline:
                u.recv(0.003); f.recv(0.002)
                nu = absorb(u, nu); nf = absorb(f, nf)
            S.kill(signal.SIGKILL)
            for c in (u, f):
                while c.recv(0) is not None:
                    pass
            absorb(u, nu); absorb(f, nf)
            S = Server(args, tmp, resume="j")
        f = S.client("facilitator")
        f.request({"type": "end"})
        f.wait_for(lambda m: m["type"] == "bye")
        absorb(f, 0)
        check(S.wait() == 0, "ended cleanly")
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay: " + out.stderr)
        live = open(os.path.join(tmp, "live.jsonl")).read()
        check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the resumed log equals a clean replay")
        ev = [json.loads(l) for l in live.splitlines() if l.startswith('{"seq"')]
        for e in ev:
            check(got.get(e["seq"], e) == e, "seq %d as a client got it differs from the log" % e["seq"])
        hs = [e["data"]["input"] for e in ev if e["kind"] == "move.held"]
        check(len(hs) == len(set(hs)), "no move held twice")
        check(not set(held) - set(hs), "no acknowledged move lost: %r" % sorted(set(held) - set(hs))[:5])
        turns = [e["data"]["number"] for e in ev if e["kind"] == "turn" and e["data"]["phase"] == "planning"]
        check(turns == list(range(1, len(turns) + 1)), "turns in order: %r" % turns)
        print("kill in turns: %d cycles (killed in %r), %d turns, %d moves held, %d releases sent"
              % (cycles, stats["kills_in"], len(turns), len(held), stats["release"]))
    finally:
        S.kill()


if __name__ == "__main__":
    run_tests(globals())
