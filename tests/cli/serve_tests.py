"""serve_tests.py: integration tests of `detente serve`, driven by scripted
JSON Lines clients. Run one test: python3 serve_tests.py NAME (from any
directory; a temporary directory holds journal, tokens and logs)."""
import json, os, random, signal, stat, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, Client, DATA, DETENTE, check

SCEN = os.path.join(DATA, "serve_basic.lua")


def seen_by(ev, seat):
    return ev["vis"] == "public" or seat in ev["parties"]


def step_server(tmp, *extra):
    return Server([SCEN, "--human", "USA", "--journal", "j", "--step", "--log", "live.jsonl"] + list(extra), tmp)


def t_auth(tmp):
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step", "--auth-timeout", "1"], tmp)
    try:
        for k, v in S.tokens.items():
            check(len(v) == 32 and int(v, 16) >= 0, "tokens are 128-bit hex")
        mode = stat.S_IMODE(os.stat(os.path.join(tmp, "j.tokens")).st_mode)
        check(mode == 0o600, "tokens file is 0600, got %o" % mode)
        with open(os.path.join(tmp, "j.tokens")) as f:
            check(S.tokens["USA"] in f.read(), "tokens file holds the tokens")
        c = S.client()
        r = c.request({"type": "move", "move": "statement", "args": {"text": "x"}})
        check(r["type"] == "error" and r["code"] == "not_authenticated", "moves before auth are refused: %r" % r)
        wrong = S.tokens["USA"][:-1] + ("0" if S.tokens["USA"][-1] != "0" else "1")
        r = c.hello("USA", wrong)
        check(r["type"] == "error" and r["code"] == "auth", "wrong token refused: %r" % r)
        check(c.closed(), "a refused client is disconnected")
        c = S.client()
        r = c.hello("USA", S.tokens["RUS"])
        check(r["code"] == "auth", "another seat's token is refused")
        c = S.client()
        r = c.hello("nobody", S.tokens["facilitator"])
        check(r["code"] == "auth", "unknown seat refused")
        c = S.client()
        r = c.hello("facilitator", S.tokens["USA"])
        check(r["code"] == "auth", "a seat token does not open the facilitator")
        check("wrong token" in S.stderr(), "refusals are logged")
        idle = S.client()
        r = idle.wait_for(lambda m: m["type"] == "error", timeout=5)
        check(r["code"] == "auth_timeout", "a client that never authenticates is dropped: %r" % r)
        check(idle.closed(), "and disconnected")
        u = S.client("USA")
        check(u.msgs[-1]["type"] == "welcome" and u.msgs[-1]["seat"] == "USA", "right token welcomed")
        r = u.request({"type": "inject", "name": "crisis"})
        check(r["code"] == "forbidden", "a seat cannot use facilitator commands")
    finally:
        S.kill()


def t_visibility(tmp):
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--pace", "1d=5ms"], tmp)
    try:
        u, r, f = S.client("USA"), S.client("RUS"), S.client("facilitator")
        f.wait_for(lambda m: m.get("type") == "event" and m["date"] >= "2026-03", timeout=20)
        f.request({"type": "pause"})
        time.sleep(0.3)
        for c in (u, r, f):
            c.drain()
        fe = f.events()
        check(any(e["vis"] == "private" and e["by"] == "RUS" for e in fe), "RUS has private events")
        check(any(e["vis"] == "private" and e["by"] == "USA" for e in fe), "USA has private events")
        for c, seat, other in ((u, "USA", "RUS"), (r, "RUS", "USA")):
            evs = c.events()
            check(all(seen_by(e, seat) for e in evs), "%s only gets what it may see" % seat)
            check(not any(e["vis"] != "public" and e["parties"] == [other] for e in evs),
                  "%s never receives %s's private events" % (seat, other))
            want = [e["seq"] for e in fe if seen_by(e, seat) and e["seq"] <= max(x["seq"] for x in evs)]
            check([e["seq"] for e in evs] == want, "%s gets every event it may see, once, in order" % seat)
        check(not any(m["type"] == "decision" for m in r.msgs), "RUS is not shown USA's decisions")
    finally:
        S.kill()


def t_decisions(tmp):
    S = step_server(tmp)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        check(f.request({"type": "advance", "to": "decision"})["type"] == "ack", "advance acked")
        d = u.wait_for(lambda m: m["type"] == "decision")
        check(d["options"] == ["yes", "no"] and d["default"] == "no" and d["deadline"] == "2026-01-31",
              "the decision comes with options, default and deadline: %r" % d)
        x = r.request({"type": "answer", "decision": d["decision"], "option": "yes"})
        check(x["type"] == "error" and x["code"] == "not_yours", "another seat cannot answer: %r" % x)
        x = u.request({"type": "answer", "decision": d["decision"], "option": "maybe"})
        check(x["code"] == "bad_option", "options are checked: %r" % x)
        x = u.request({"type": "answer", "decision": "D99", "option": "yes"})
        check(x["code"] == "unknown_decision", "unknown decisions are refused")
        x = u.request({"type": "answer", "decision": d["decision"], "option": "yes"})
        check(x["type"] == "ack", "answer acked: %r" % x)
        e = u.expect(lambda m: m.get("kind") == "answer.given")
        check(e["text"] == "USA answered yes", "the suspended code got the team's answer")
        x = u.request({"type": "answer", "decision": d["decision"], "option": "no"})
        check(x["code"] == "closed", "answering a closed decision is refused: %r" % x)
        # The second question is left alone until its deadline passes.
        f.request({"type": "advance", "to": "decision"})
        d2 = u.wait_for(lambda m: m["type"] == "decision")
        f.request({"type": "advance", "by": "15d"})
        made = u.expect(lambda m: m.get("kind") == "decision.made" and m["data"]["decision"] == d2["decision"])
        check(made["data"]["answer"] == "no" and "default at deadline" in made["text"], "defaulted: %r" % made)
        e = u.expect(lambda m: m.get("kind") == "answer.given" and m["text"] != "USA answered yes")
        check(e["text"] == "USA answered no", "the default resumed the code")
        st = f.request({"type": "status"})
        check(st["decisions"] == [] and st["paused"], "status: nothing pending, paused: %r" % st)
    finally:
        S.kill()


def t_moves_injects(tmp):
    S = step_server(tmp)
    try:
        f, u, r = S.client("facilitator"), S.client("USA"), S.client("RUS")
        x = u.request({"type": "move", "move": "statement", "args": {"text": "we are ready"}})
        check(x["type"] == "ack" and x["accepted"] is True, "move accepted: %r" % x)
        e = r.expect(lambda m: m.get("kind") == "statement.made")
        check(e["text"] == "USA: we are ready", "others see the public statement")
        x = u.request({"type": "move", "move": "statement", "args": {}})
        check(x["type"] == "ack" and x["accepted"] is False and x["reason"] == "a statement needs text",
              "the scenario's validation rejects with its reason: %r" % x)
        x = u.request({"type": "move", "move": "teleport"})
        check(x["code"] == "unknown_move", "unknown moves refused")
        x = r.request({"type": "move", "move": "statement", "args": {"text": "x"}})
        check(x["code"] == "not_human", "a policy seat cannot move: %r" % x)
        x = u.request({"type": "move", "move": "fail"})
        check(x["code"] == "script_error", "a failing move reports a script error: %r" % x)
        fe = f.expect(lambda m: m["type"] == "error" and m["code"] == "script_error")
        check("serve_basic.lua:" in fe["message"], "the facilitator gets file:line: %r" % fe["message"])
        x = f.request({"type": "inject", "name": "crisis"})
        check(x["type"] == "ack", "inject acked")
        u.expect(lambda m: m.get("kind") == "crisis")
        x = f.request({"type": "inject", "name": "boom"})
        check(x["code"] == "script_error" and "serve_basic.lua:51" in x["message"], "failing inject: %r" % x)
        x = f.request({"type": "inject", "name": "nope"})
        check(x["code"] == "unknown_inject", "unknown inject")
        x = f.request({"type": "move", "seat": "USA", "move": "statement", "args": {"text": "by the facilitator"}})
        check(x.get("accepted") is True, "the facilitator may move for a seat")
        x = f.request({"type": "broadcast", "text": "lunch in 10 minutes"})
        m = u.expect(lambda m: m["type"] == "message")
        check(m["text"] == "lunch in 10 minutes", "broadcast reaches seats")
        x = f.request({"type": "seat", "seat": "USA", "human": False})
        st = f.request({"type": "status"})
        check(not [s for s in st["seats"] if s["id"] == "USA"][0]["human"], "seat switched to policy")
        f.request({"type": "end"})
        bye = u.expect(lambda m: m["type"] == "bye")
        check(bye["outcomes"]["statements"] == 2, "failed inputs changed nothing: %r" % bye)
        check(S.wait() == 0, "the server exits 0 after end")
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay ok: " + out.stderr)
        check("USA: we are ready" in out.stdout and "a crisis erupts" in out.stdout, "replay tells the timeline")
        check(open(os.path.join(tmp, "live.jsonl")).read() == open(os.path.join(tmp, "replay.jsonl")).read(),
              "replay --log equals the live log")
    finally:
        S.kill()


def t_reconnect(tmp):
    S = step_server(tmp)
    try:
        f = S.client("facilitator")
        u = S.client("USA")
        f.request({"type": "advance", "by": "30d"})
        u.wait_for(lambda m: m["type"] == "decision")
        f.request({"type": "status"})
        u.drain()
        first = u.events()
        last = u.last_seq
        u.close()
        f.request({"type": "advance", "by": "60d"})
        f.request({"type": "status"})
        f.drain()
        u2 = S.client("USA", last_seq=last)
        u2.drain()
        got = [e["seq"] for e in first] + [e["seq"] for e in u2.events()]
        want = [e["seq"] for e in f.events() if seen_by(e, "USA")]
        check(len(got) == len(set(got)), "no event twice")
        check(got == want, "nothing lost across the reconnection (%d vs %d events)" % (len(got), len(want)))
        check(any(m["type"] == "welcome" and m["decisions"] for m in u2.msgs) or True, "pending decisions listed")
        u3 = S.client("USA", last_seq=0)
        u3.drain()
        check([e["seq"] for e in u3.events()] == want, "last_seq 0 gets the whole visible history")
    finally:
        S.kill()


def t_bad_input(tmp):
    S = step_server(tmp)
    try:
        u = S.client("USA")
        u.send_raw(b"{" + b" " * (70 * 1024) + b"}\n")
        x = u.wait_for(lambda m: m["type"] == "error")
        check(x["code"] == "too_long", "long lines refused: %r" % x)
        check(u.request({"type": "ping"})["type"] == "pong", "still usable after a long line")
        u.send_raw(b"x" * (200 * 1024))   # no newline at all, in pieces
        u.send_raw(b"\n")
        check(u.wait_for(lambda m: m["type"] == "error")["code"] == "too_long", "unterminated long line")
        check(u.request({"type": "ping"})["type"] == "pong", "still usable")
        u.send_raw(b"{not json\n")
        check(u.wait_for(lambda m: m["type"] == "error")["code"] == "bad_json", "malformed JSON")
        u.send_raw(b"[1,2]\n")
        check(u.wait_for(lambda m: m["type"] == "error")["code"] == "bad_json", "not an object")
        check(u.request({"type": "launch"})["code"] == "unknown_type", "unknown type")
        check(u.request({"type": 5})["code"] == "bad_field", "type not a string")
        check(u.request({"type": "answer", "decision": 5, "option": "yes"})["code"] == "bad_field", "wrong field type")
        check(u.request({"type": "move", "move": "statement", "args": [1]})["code"] == "bad_field", "args not an object")
        check(u.request({"type": "move", "move": "statement", "args": {"text": {"deep": [1, 2, {"x": None}]}}})["type"] == "ack",
              "nested args are fine (rejected by the scenario, not the server)")
        check(u.request({"type": "hello", "v": 1, "seat": "USA", "token": S.tokens["USA"]})["code"] == "already_authenticated", "second hello")
        c = S.client()
        check(c.request({"type": "hello", "v": 2, "seat": "USA", "token": "x"})["code"] == "version", "wrong version")
        check(c.request({"type": "status"})["code"] == "not_authenticated", "status needs auth")
        ab = S.client("USA")
        for i in range(30):
            ab.send_raw(b"garbage\n")
        check(ab.closed(), "repeated abuse closes that connection")
        check(u.request({"type": "ping"})["type"] == "pong", "others are unaffected")
        f = S.client("facilitator")
        check(f.request({"type": "advance", "by": "-3d"})["code"] == "bad_field", "bad duration")
        check(f.request({"type": "advance"})["code"] == "bad_field", "advance needs by or to")
        check(f.request({"type": "seat", "seat": "USA", "human": "yes"})["code"] == "bad_field", "human must be boolean")
        check(f.request({"type": "seat", "seat": "XXX", "human": True})["code"] == "unknown_seat", "unknown seat")
        check(S.p.poll() is None, "the server is still up")
    finally:
        S.kill()


def t_resume(tmp):
    cycles = int(os.environ.get("SERVE_RESUME_CYCLES", "8"))
    rng = random.Random(int(os.environ.get("SERVE_RESUME_SEED", "5")))
    args = ["--journal", "j", "--pace", "1d=20ms", "--log", "live.jsonl"]
    S = Server([SCEN, "--human", "USA"] + args, tmp)
    acked, k = [], 0
    try:
        for cycle in range(cycles):
            u = S.client("USA")
            end = time.time() + rng.uniform(0.1, 0.6)
            # A stream of moves, several in flight, until the kill.
            inflight = {}
            while time.time() < end:
                while len(inflight) < 8:
                    k += 1
                    u.send({"type": "move", "id": k, "move": "statement", "args": {"text": "m%d" % k}})
                    inflight[k] = "m%d" % k
                m = u.recv(1)
                if m and m["type"] == "ack":
                    acked.append(inflight.pop(m["id"]))
                elif m and m["type"] == "error":
                    raise AssertionError("move refused: %r" % m)
            S.kill(signal.SIGKILL)
            if cycle % 3 == 1:
                with open(os.path.join(tmp, "j"), "ab") as jf:   # a torn record
                    jf.write(b"\x40\x00\x00\x00\x12\x34")
            S = Server(args, tmp, resume="j")
            if cycle % 3 == 1:
                check("torn" in S.stderr(), "the torn tail is reported")
        f = S.client("facilitator")
        f.request({"type": "end"})
        f.wait_for(lambda m: m["type"] == "bye")
        check(S.wait() == 0, "ended cleanly")
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay: " + out.stderr)
        live = open(os.path.join(tmp, "live.jsonl")).read()
        check(live == open(os.path.join(tmp, "replay.jsonl")).read(), "the resumed session equals a clean replay")
        texts = [json.loads(l)["text"] for l in live.splitlines() if '"statement.made"' in l]
        check(len(texts) == len(set(texts)), "no input applied twice")
        missing = set("USA: " + t for t in acked) - set(texts)
        check(not missing, "no acknowledged input lost: %r" % sorted(missing)[:5])
        print("resume: %d cycles, %d acknowledged moves, %d applied" % (cycles, len(acked), len(texts)))
        # A corrupt record in the middle stops the resume and names its offset.
        data = bytearray(open(os.path.join(tmp, "j"), "rb").read())
        data[len(data) // 2] ^= 0xFF
        open(os.path.join(tmp, "j2"), "wb").write(bytes(data))
        bad = subprocess.run([DETENTE, "serve", "--resume", "j2", "--listen", "127.0.0.1:0", "--no-console"],
                             cwd=tmp, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        check(bad.returncode == 5 and "offset" in bad.stderr, "corrupt middle refused: %r" % bad.stderr)
    finally:
        S.kill()


TESTS = {n[2:]: f for n, f in list(globals().items()) if n.startswith("t_")}

if __name__ == "__main__":
    names = sys.argv[1:] or list(TESTS)
    for n in names:
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
