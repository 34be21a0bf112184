"""serve_tests.py: integration tests of `detente serve`, driven by scripted
JSON Lines clients. Run one test: python3 serve_tests.py NAME (from any
directory; a temporary directory holds journal, tokens and logs)."""
import json, os, random, signal, socket, stat, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, Lines, DATA, DETENTE, check, run_tests

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


def t_visibility_parties(tmp):
    """An event between two parties reaches them and the facilitator, never a
    third seat; a private one only its actor; a public one everyone."""
    S = Server([os.path.join(DATA, "serve_three.lua"), "--human", "USA,RUS,CHN", "--journal", "j", "--step"], tmp)
    try:
        f = S.client("facilitator")
        seats = {s: S.client(s) for s in ("USA", "RUS", "CHN")}
        check(f.request({"type": "advance", "by": "30d"})["type"] == "ack", "advance acked")
        f.request({"type": "status"})
        time.sleep(0.3)
        for c in list(seats.values()) + [f]:
            c.drain()
        kinds = lambda c: [e["kind"] for e in c.events()]
        fk = kinds(f)
        n = fk.count("talks.held")
        check(n >= 5 and fk.count("note.private") == n and fk.count("statement.made") == n,
              "the facilitator sees every event: %r" % fk[:6])
        for s in ("USA", "RUS"):
            k = kinds(seats[s])
            check(k.count("talks.held") == n and k.count("statement.made") == n and "note.private" not in k,
                  "%s sees the talks it is party to and the public statements, not CHN's note: %r" % (s, k[:6]))
        k = kinds(seats["CHN"])
        check("talks.held" not in k and k.count("note.private") == n and k.count("statement.made") == n,
              "CHN sees its own note and the public statements, never the USA-RUS talks: %r" % k[:6])
        talks = next(e for e in f.events() if e["kind"] == "talks.held")
        check(talks["vis"] == "parties" and sorted(talks["parties"]) == ["RUS", "USA"], "parties listed: %r" % talks)
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
        f.request({"type": "advance", "to": "decision"})
        dec = u.wait_for(lambda m: m["type"] == "decision")
        f.request({"type": "status"})
        u.drain()
        first = u.events()
        last = u.last_seq
        u.close()
        # A seat that reconnects while its decision is open is told of it again.
        um = S.client("USA", last_seq=last)
        w = [m for m in um.msgs if m["type"] == "welcome"]
        check(len(w) == 1 and [d["decision"] for d in w[0]["decisions"]] == [dec["decision"]]
              and w[0]["decisions"][0]["options"] == dec["options"],
              "the pending decision %s listed in the welcome on reconnection: %r" % (dec["decision"], w))
        um.drain()
        check(um.events() == [], "nothing new between the two connections")
        um.close()
        f.request({"type": "advance", "by": "60d"})
        f.request({"type": "status"})
        f.drain()
        u2 = S.client("USA", last_seq=last)
        u2.drain()
        got = [e["seq"] for e in first] + [e["seq"] for e in u2.events()]
        want = [e["seq"] for e in f.events() if seen_by(e, "USA")]
        check(len(got) == len(set(got)), "no event twice")
        check(got == want, "nothing lost across the reconnection (%d vs %d events)" % (len(got), len(want)))
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
        # The server closes the connection at the 20th bad message; what is
        # sent after that may meet a closed socket, which is the point.
        for i in range(30):
            try:
                ab.send_raw(b"garbage\n")
            except (BrokenPipeError, ConnectionResetError):
                break
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
    cycles = int(os.environ.get("SERVE_RESUME_CYCLES", "50"))
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
        # The corruption keeps the record's length and its JSON well formed
        # (one letter of the payload becomes another), so only the CRC-32
        # can tell.
        data = bytearray(open(os.path.join(tmp, "j"), "rb").read())
        offs, off = [], 8                      # after the 8-byte magic: [len u32][crc u32][payload]
        while off + 8 <= len(data):
            n = int.from_bytes(data[off:off + 4], "little")
            offs.append(off)
            off += 8 + n
        check(off == len(data) and len(offs) > 4, "the journal parses as records (%d)" % len(offs))
        victim = offs[len(offs) // 2]
        payload = data[victim + 8:victim + 8 + int.from_bytes(data[victim:victim + 4], "little")]
        i = next(k for k, b in enumerate(payload) if chr(b) in "abcdefghijklmnopqrstuvwxyz" and k > 2)
        data[victim + 8 + i] = ord("q") if payload[i] != ord("q") else ord("x")
        json.loads(bytes(data[victim + 8:victim + 8 + len(payload)]))   # still JSON
        open(os.path.join(tmp, "j2"), "wb").write(bytes(data))
        bad = subprocess.run([DETENTE, "serve", "--resume", "j2", "--listen", "127.0.0.1:0", "--no-console"],
                             cwd=tmp, capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
        check(bad.returncode == 5 and ("corrupt record at offset %d," % victim) in bad.stderr,
              "corrupt record at offset %d refused: %r" % (victim, bad.stderr))
    finally:
        S.kill()


def stall_one_client(tmp, limit_kib, pause):
    """Serves serve_flood.lua with --output-limit limit_kib; RUS authenticates
    and never reads while the facilitator fires floods (`pause` seconds apart)
    and USA makes moves. Returns (server, facilitator, USA, stalled socket,
    notice, floods, ack latencies) once the facilitator is told."""
    flood = os.path.join(DATA, "serve_flood.lua")
    # Each flood (600 events of ~500 bytes) is larger than a 256 KiB bound: a
    # burst that clients which read take without being disconnected.
    S = Server([flood, "--human", "USA", "--journal", "j", "--step", "--output-limit", str(limit_kib),
                "-D", "flood_events=600"], tmp)
    try:
        return (S,) + flood_until_stalled(S, pause)
    except BaseException:
        S.kill()
        raise


def flood_until_stalled(S, pause):
    f, u = S.client("facilitator"), S.client("USA")
    stalled = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)   # a small window
    stalled.connect(("127.0.0.1", S.port))
    stalled.sendall((json.dumps({"type": "hello", "v": 1, "seat": "RUS", "token": S.tokens["RUS"]}) + "\n").encode())
    time.sleep(0.2)
    st = f.request({"type": "status"})
    check([x for x in st["seats"] if x["id"] == "RUS"][0]["connected"] == 1, "the stalled client is in: %r" % st["seats"])
    lat, floods, notice = [], 0, None
    deadline = time.time() + 60
    while time.time() < deadline and notice is None:
        x = f.request({"type": "inject", "name": "flood"}, timeout=20)
        check(x["type"] == "ack", "flood acked: %r" % x)
        floods += 1
        end = time.time() + pause
        while True:   # the reading clients keep making moves, timed to their acks
            t0 = time.time()
            x = u.request({"type": "move", "move": "statement", "args": {"text": "f%d.%d" % (floods, len(lat))}}, timeout=10)
            lat.append(time.time() - t0)
            check(x["type"] == "ack" and x["accepted"], "the reading client's move is acked: %r" % x)
            check(f.request({"type": "ping"})["type"] == "pong", "the facilitator is answered")
            if time.time() >= end:
                break
            time.sleep(0.05)
        notice = next((m for m in f.msgs if m["type"] == "notice" and "stopped reading" in m["text"]), None)
    check(notice is not None, "the facilitator is told of the disconnection (%d floods)" % floods)
    return f, u, stalled, notice, floods, lat


def t_slow_reader(tmp):
    """A client that stops reading cannot stall the others: it is disconnected
    once too much output waits for it, and the others carry on."""
    # At once, past four times the bound.
    S, f, u, stalled, notice, floods, lat = stall_one_client(tmp, 256, 0)
    try:
        check("RUS" in notice["text"], "the notice names the seat: %r" % notice["text"])
        check("more than four times the output limit" in S.stderr(), "the server's log says so: " + S.stderr())
        # The reading client got every public event once, in order, and timely acks.
        seqs = [e["seq"] for e in u.events()]
        check(seqs == sorted(set(seqs)) and len(seqs) >= floods * 600, "the reading client got every event (%d)" % len(seqs))
        check(max(lat) < 3.0, "acks stay timely while a client stalls: max %.2fs" % max(lat))
        st = f.request({"type": "status"})
        check([x for x in st["seats"] if x["id"] == "RUS"][0]["connected"] == 0, "the stalled client is gone: %r" % st["seats"])
        # Its socket reaches its end once what the kernel holds is read.
        end, got = time.time() + 20, 0
        stalled.settimeout(5)
        while time.time() < end:
            try:
                d = stalled.recv(1 << 20)
            except (ConnectionResetError, socket.timeout):
                d = b""
            if not d:
                break
            got += len(d)
        check(time.time() < end, "the stalled client's connection is closed (read %d bytes)" % got)
        stalled.close()
        check(u.request({"type": "ping"})["type"] == "pong", "the others are unaffected")
        print("slow_reader: over 4x the bound after %d floods; %d acks, p50 %.1f ms, max %.1f ms"
              % (floods, len(lat), 1000 * sorted(lat)[len(lat) // 2], 1000 * max(lat)))
        # A client that joins late gets the whole history, far more than the
        # bound, paced as it reads it, and is not taken for a stalled one.
        late = S.client("USA", last_seq=0)
        late.drain(quiet=1.0)
        want = [e["seq"] for e in f.events() if e["vis"] == "public" or "USA" in e["parties"]]
        check([e["seq"] for e in late.events()] == want,
              "a late client gets the whole history (%d of %d events) once, in order" % (len(late.events()), len(want)))
        check(S.p.poll() is None, "the server is still up")
    finally:
        S.kill()
    # Over the bound and taking nothing: disconnected after the grace period.
    os.makedirs(os.path.join(tmp, "2"))
    S, f, u, stalled, notice, floods, lat = stall_one_client(os.path.join(tmp, "2"), 1024, 0.5)
    try:
        check("has taken nothing for 2 s" in S.stderr(), "the server's log says so: " + S.stderr())
        check(max(lat) < 3.0, "acks stay timely while a client stalls: max %.2fs" % max(lat))
        print("slow_reader: over the bound and stalled after %d floods; %d acks, p50 %.1f ms, max %.1f ms"
              % (floods, len(lat), 1000 * sorted(lat)[len(lat) // 2], 1000 * max(lat)))
        stalled.close()
    finally:
        S.kill()


def t_console(tmp):
    """The facilitator console on the server's standard input, as a person uses it."""
    S = Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp, console=True)
    out = S.out
    try:
        def cmd(line, pred, what):
            S.console(line)
            return out.wait_for(pred, what=what)
        st = cmd("status", lambda l: l.startswith("clock "), "status")
        check(st == "clock 2026-01-01 (paused, step mode), 0 inputs, 0 events; seats: USA human (0 connected), "
                    "RUS policy; facilitators 1; pending decisions: none", "status reads as a sentence: %r" % st)
        u = S.client("USA")
        cmd("advance decision", lambda l: l == "ok: advance decision (input 1)", "the advance ack")
        d = out.wait_for(lambda l: l.startswith("decision D1"), what="the decision")
        check("options: yes | no" in d and "default no at the deadline 2026-01-31" in d, "decision line: %r" % d)
        check(any(l.startswith("2026-01-21  USA      USA must decide answer") for l in out.lines), "timeline lines")
        st = cmd("status", lambda l: l.startswith("clock "), "status")
        check(st.startswith("clock 2026-01-21 (paused, step mode)") and "USA human (1 connected)" in st and
              "pending decisions: D1 USA answer until 2026-01-31" in st, "status with a pending decision: %r" % st)
        # In step mode the clock moves only on advance: resume is refused.
        r = cmd("resume", lambda l: l.startswith("error: resume"), "resume refused")
        check(r == "error: resume: in step mode the clock moves only on advance [step_mode]", "resume in step mode: %r" % r)
        r = cmd("pace 1d=10s", lambda l: l.startswith("error: pace"), "pace refused")
        check(r.startswith("error: pace 1d=10s: pace: in step mode") and r.endswith("[step_mode]"), "pace in step mode: %r" % r)
        r = cmd("pace", lambda l: l.startswith("error: pace"), "pace without a value")
        check(r == "error: pace: say 'pace 1d=10s' (simulated time per real time)", "pace alone: %r" % r)
        cmd("pause", lambda l: l.startswith("ok: pause (input"), "pause ack")
        cmd("answer D1 yes", lambda l: l.startswith("ok: answer D1 yes (input"), "the override ack")
        check(any("USA decides answer: yes" in l for l in out.lines), "the override reached the timeline")
        u.expect(lambda m: m.get("kind") == "answer.given")
        e = cmd("answer D1 no", lambda l: l.startswith("error: answer D1 no"), "the closed error")
        check(e == "error: answer D1 no: decision D1 is already closed (yes) [closed]", "closed: %r" % e)
        cmd("inject crisis", lambda l: l.startswith("ok: inject crisis (input"), "inject ack")
        check(any(l.endswith("a crisis erupts") for l in out.lines), "the inject's event is shown")
        e = cmd("inject nope", lambda l: l.startswith("error: inject nope"), "unknown inject")
        check(e.endswith("[unknown_inject]"), "unknown inject: %r" % e)
        e = cmd("inject boom", lambda l: l.startswith("error: inject boom"), "a failing inject")
        check("serve_basic.lua:51" in e and e.endswith("[script_error during an inject]"), "script error: %r" % e)
        cmd("advance 10d", lambda l: l.startswith("ok: advance 10d (input"), "advance ack")
        e = cmd("advance soon", lambda l: l.startswith("error: advance soon"), "bad duration")
        check(e.endswith("[bad_field]"), "bad duration: %r" % e)
        cmd("say lunch in ten minutes", lambda l: l.startswith("ok: say lunch in ten minutes (input"), "say ack")
        m = out.wait_for(lambda l: l.startswith("message from facilitator"), what="the message")
        check(m.endswith(": lunch in ten minutes"), "message line: %r" % m)
        check(u.expect(lambda m: m["type"] == "message")["text"] == "lunch in ten minutes", "seats get the message")
        # a move's numbers, kept in the journal as JSON reals, read in the
        # after-action report (below) as the timeline prints numbers
        cmd('move USA statement {"text":"","weight":0.1,"round":19.0}',
            lambda l: l.startswith("refused: move USA statement"), "a refused move with numbers")
        e = cmd("seat USA polcy", lambda l: l.startswith("error:"), "a bad seat command")
        check("seat ID human" in e, "seat usage: %r" % e)
        cmd("seat USA policy", lambda l: l.startswith("ok: seat USA policy (input"), "seat ack")
        st = cmd("status", lambda l: l.startswith("clock "), "status")
        check("USA policy (1 connected)" in st, "the seat is played by its policy: %r" % st)
        e = cmd("bogus", lambda l: l.startswith("error: unknown command 'bogus'"), "unknown command")
        out.wait_for(lambda l: "say TEXT" in l, what="the list of commands")
        cmd('{"type":"ping","id":"raw"}', lambda l: l == "pong", "a raw protocol line")
        cmd("end", lambda l: l.startswith("ok: end (input"), "end ack")
        bye = out.wait_for(lambda l: l.startswith("session ended:"), what="bye")
        check(bye.endswith("outcomes: statements=0"), "the outcomes: %r" % bye)
        check(S.wait() == 0, "the server exits 0 after end")
        out.until_quiet(0.1)
        after_ready = out.lines[out.lines.index("ready") + 1:]
        check(not [l for l in after_ready if l.startswith("{")], "no raw JSON on the console: %r" %
              [l for l in after_ready if l.startswith("{")][:3])
        check(u.expect(lambda m: m["type"] == "bye")["outcomes"] == {"statements": 0}, "the seat got bye")
        rep = os.path.join(tmp, "aar.html")
        r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "j"), "--report", rep, "-q"],
                           capture_output=True, text=True)
        check(r.returncode == 0, "replay --report: %s" % r.stderr)
        for name in (rep, rep[:-5] + ".md"):
            page = open(name).read()
            check("weight=0.1," in page and "round=19," in page and "0.1000000" not in page and
                  "19.0" not in page,
                  "%s: the move's numbers as the timeline prints them: %r" %
                  (name, [l for l in page.splitlines() if "weight" in l][:2]))
    finally:
        S.kill()


class Join:
    """`detente join` on pipes: commands on stdin, what it shows on stdout."""
    def __init__(self, S, seat, token, tmp, stdin=subprocess.PIPE):
        self.err = open(os.path.join(tmp, "join-%s.err" % seat), "w+")
        self.p = subprocess.Popen([DETENTE, "join", "127.0.0.1:%d" % S.port, "--seat", seat, "--token", token],
                                  stdin=stdin, stdout=subprocess.PIPE, stderr=self.err, cwd=tmp)
        self.out = Lines(self.p.stdout)

    def type(self, line):
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()

    def stderr(self):
        self.err.flush()
        self.err.seek(0)
        return self.err.read()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()
        self.p.stdout.close()
        if self.p.stdin:
            self.p.stdin.close()
        self.err.close()


def t_join(tmp):
    """`detente join` driven through pipes, against a scripted facilitator."""
    S = step_server(tmp)
    joins = []
    try:
        f = S.client("facilitator")
        f.request({"type": "advance", "to": "decision"})
        f.wait_for(lambda m: m["type"] == "decision")
        j = Join(S, "USA", S.tokens["USA"], tmp); joins.append(j)
        out = j.out
        out.wait_for(lambda l: l == "joined 'Serve test' as USA at 2026-01-21", what="the welcome")
        out.wait_for(lambda l: l == "open moves:", what="the open moves")
        check(out.next() == "  statement            make a public statement: text=", "move statement listed")
        check(out.next().startswith("  fail "), "move fail listed")
        d = out.wait_for(lambda l: l.startswith("decision D1 for USA"), what="the pending decision")
        check(d == "decision D1 for USA: answer (Does Washington accept the one-year offer?); options: yes | no; "
                   "default no at the deadline 2026-01-31; context counterpart=RUS round=19", "the decision: %r" % d)
        tl = out.wait_for(lambda l: l.startswith("2026-01-15"), what="the timeline")
        check(tl == "2026-01-15  USA      USA private assessment (private)", "the seat's own private events: %r" % tl)
        out.until_quiet()
        check(not any("RUS private" in l for l in out.lines), "never another seat's private events")
        j.type("answer D1 yes")
        out.wait_for(lambda l: l == "2026-01-21  USA      USA answered yes", what="the answer's effect")
        out.wait_for(lambda l: l == "ok: answer D1 yes (input 2)", what="the answer's ack")
        j.type("move statement text=hello")
        out.wait_for(lambda l: l == "2026-01-21  USA      USA: hello", what="the move's event")
        out.wait_for(lambda l: l == "ok: move statement text=hello (accepted, input 3)", what="the move's ack")
        check(f.wait_for(lambda m: m.get("kind") == "statement.made")["text"] == "USA: hello", "others see the move")
        j.type('move statement {"text": "in JSON"}')
        out.wait_for(lambda l: l.startswith("ok: move statement {") and "accepted" in l, what="a move with JSON args")
        j.type("move statement")
        r = out.wait_for(lambda l: l.startswith("refused: move statement"), what="a refused move")
        check(r == "refused: move statement: a statement needs text (input 5)", "the scenario's reason: %r" % r)
        j.type("answer D1 no")
        e = out.wait_for(lambda l: l.startswith("error: answer D1 no"), what="the closed error")
        check(e.endswith("[closed]"), "a closed decision: %r" % e)
        j.type("move teleport")
        check(out.wait_for(lambda l: l.startswith("error: move teleport"), what="unknown move").endswith("[unknown_move]"),
              "unknown moves refused")
        j.type("inject crisis")
        check(out.wait_for(lambda l: l.startswith("error: inject crisis"), what="forbidden").endswith("[forbidden]"),
              "a seat cannot use facilitator commands")
        j.type("frobnicate")
        out.wait_for(lambda l: l.startswith("!! unknown command 'frobnicate'"), what="an unknown command")
        # A decision asked while joined arrives live, with its deadline.
        f.request({"type": "advance", "to": "decision"})
        d = out.wait_for(lambda l: l.startswith("decision D2 for USA"), what="a live decision")
        check("options: yes | no" in d and "deadline 2026-02-20" in d, "live decision: %r" % d)
        j.type("decisions")
        out.wait_for(lambda l: l.startswith("decision D2 for USA"), what="the pending list")
        j.type("status")
        st = out.wait_for(lambda l: l.startswith("clock "), what="status")
        check("USA human (1 connected)" in st and "pending decisions: D2 USA answer until 2026-02-20" in st, "status: %r" % st)
        f.request({"type": "broadcast", "text": "five minutes"})
        out.wait_for(lambda l: l.startswith("message from facilitator") and l.endswith(": five minutes"), what="a message")
        # The end of the input: join leaves once every command has its answer.
        j.type("move statement text=bye")
        j.p.stdin.close()
        check(j.p.wait(10) == 0, "join exits 0 at the end of its input")
        out.until_quiet(0.1)
        check(out.lines[-1] == "ok: move statement text=bye (accepted, input 8)", "after the last answer: %r" % out.lines[-3:])
        # Commands from a file, and `help`.
        with open(os.path.join(tmp, "cmds"), "w") as fh:
            fh.write("help\nstatus\n")
        with open(os.path.join(tmp, "cmds")) as fh:
            j2 = Join(S, "USA", S.tokens["USA"], tmp, stdin=fh); joins.append(j2)
            check(j2.p.wait(10) == 0, "join reads commands from a file and leaves")
        j2.out.until_quiet(0.1)
        check(any(l.startswith("clock ") for l in j2.out.lines) and any("answer D1 OPTION" in l for l in j2.out.lines),
              "status and help from a file: %r" % j2.out.lines[-3:])
        # A wrong token: a clear message and a non-zero exit.
        wrong = S.tokens["USA"][:-1] + ("0" if S.tokens["USA"][-1] != "0" else "1")
        j3 = Join(S, "USA", wrong, tmp); joins.append(j3)
        check(j3.p.wait(10) == 3, "a wrong token exits 3")
        check("refused seat 'USA': wrong seat or token" in j3.stderr(), "and says why: %r" % j3.stderr())
        j4 = Join(S, "USA", S.tokens["USA"], tmp, stdin=subprocess.DEVNULL); joins.append(j4)
        check(j4.p.wait(10) == 0, "no input: join joins and leaves")
        code = subprocess.run([DETENTE, "join", "127.0.0.1", "--seat", "USA", "--token", "x"], capture_output=True).returncode
        check(code == 2, "a bad address is a usage error")
        # The session ends while a seat is joined: it says so and exits 0.
        j5 = Join(S, "USA", S.tokens["USA"], tmp); joins.append(j5)
        j5.out.wait_for(lambda l: l.startswith("joined"), what="the welcome")
        f.request({"type": "end"})
        j5.out.wait_for(lambda l: l.startswith("session ended:"), what="bye")
        check(j5.p.wait(10) == 0, "join exits 0 when the session ends")
    finally:
        for j in joins:
            j.kill()
        S.kill()


DAY = 86400
START = 1767225600   # 2026-01-01 00:00 UTC, serve_basic.lua's start


def timed_status(c):
    """(status, real time it was taken: the midpoint of the round trip)."""
    t0 = time.time()
    st = c.request({"type": "status"})
    check(st["type"] == "status", "status answered: %r" % st)
    return st, (t0 + time.time()) / 2


def settle(c, timeout=5):
    """Polls status until no advance is running; returns that status."""
    end = time.time() + timeout
    while True:
        st = c.request({"type": "status"})
        if not st["advancing"]:
            return st
        check(time.time() < end, "the advance finished in time: %r" % st)
        time.sleep(0.02)


class Fleet:
    """The servers one clock test starts under tmp: made by serve(), all
    killed by stop() (in the test's finally), also when the test wrapper's
    timeout sends SIGTERM."""
    def __init__(self, tmp, test):
        self.tmp, self.servers = tmp, []

        def on_term(sig, frame):
            raise SystemExit("%s: timed out (signal %d)" % (test, sig))
        signal.signal(signal.SIGTERM, on_term)

    def serve(self, name, *args, resume=None):
        d = os.path.join(self.tmp, name)
        os.makedirs(d, exist_ok=True)
        head = ["--journal", "j"] if resume else [SCEN, "--journal", "j"]
        S = Server(head + list(args), d, resume=resume)
        self.servers.append(S)
        return S

    def stop(self):
        for S in self.servers:
            S.kill()


def t_clock(tmp):
    """The simulated clock: --pace, --step with advance, --hold-on-decision
    (and without it), pause and resume. Runs in a few seconds."""
    fleet = Fleet(tmp, "serve_clock")
    serve = fleet.serve

    try:
        # 1. --pace: the clock advances at about the requested rate.
        for pace, rate in (("1d=20ms", 50.0), ("2d=250ms", 8.0)):
            S = serve("pace-" + pace, "--pace", pace)
            f = S.client("facilitator")
            s0, r0 = timed_status(f)
            check(s0["mode"] == "pace" and not s0["paused"], "pace mode, running: %r" % s0)
            time.sleep(1.0)
            s1, r1 = timed_status(f)
            days = (s1["t"] - s0["t"]) / DAY
            got = days / (r1 - r0)
            print("clock: --pace %s: %.1f sim days in %.3f s real: %.1f d/s (asked %.1f)" % (pace, days, r1 - r0, got, rate))
            check(days > 0, "the clock moves at --pace %s (stuck at %s)" % (pace, s1["clock"]))
            check(0.5 * rate <= got <= 1.5 * rate, "--pace %s runs at %.1f sim days/s, not about %.1f" % (pace, got, rate))
            S.kill()

        # 2. --step: the clock moves only when the facilitator advances it.
        S = serve("step", "--human", "USA", "--step")
        f, u = S.client("facilitator"), S.client("USA")
        s0 = f.request({"type": "status"})
        check(s0["mode"] == "step" and s0["paused"] and s0["t"] == START and s0["clock"] == "2026-01-01",
              "step mode starts stopped at the start date: %r" % s0)
        time.sleep(0.3)
        s1 = f.request({"type": "status"})
        check(s1["t"] == START, "in step mode the clock does not move by itself: %s" % s1["clock"])
        check(f.request({"type": "advance", "by": "10d"})["type"] == "ack", "advance 10d acked")
        st = settle(f)
        check(st["t"] == START + 10 * DAY and st["clock"] == "2026-01-11",
              "advance 10d moves the clock exactly 10 days: %s (t %d)" % (st["clock"], st["t"] - START))
        check(f.request({"type": "advance", "by": "36h"})["type"] == "ack", "advance 36h acked")
        st = settle(f)
        check(st["t"] == START + 11 * DAY + 12 * 3600 and st["clock"] == "2026-01-12T12:00:00Z",
              "advance 36h moves the clock exactly 36 hours: %s (t %d)" % (st["clock"], st["t"] - START))
        time.sleep(0.3)
        check(f.request({"type": "status"})["t"] == st["t"], "after an advance the clock stays where it stopped")
        check(f.request({"type": "advance", "to": "decision"})["type"] == "ack", "advance to decision acked")
        d1 = u.wait_for(lambda m: m["type"] == "decision", timeout=5)
        check(d1["asked"] == "2026-01-21", "the first decision is asked on day 20: %r" % d1)
        st = settle(f)
        check(st["t"] == START + 20 * DAY and st["clock"] == "2026-01-21" and st["paused"],
              "advance to decision stops at the decision: %s (t %d)" % (st["clock"], st["t"] - START))
        check([x["decision"] for x in st["decisions"]] == [d1["decision"]], "the decision is pending: %r" % st["decisions"])
        time.sleep(0.3)
        st = f.request({"type": "status"})
        check(st["t"] == START + 20 * DAY and st["decisions"], "the clock stays at the decision: %s" % st["clock"])
        check(u.request({"type": "answer", "decision": d1["decision"], "option": "yes"})["type"] == "ack", "answered")
        f.request({"type": "advance", "to": "decision"})
        d2 = u.wait_for(lambda m: m["type"] == "decision", timeout=5)
        st = settle(f)
        check(d2["asked"] == "2026-02-10" and st["t"] == START + 40 * DAY,
              "the next advance to decision stops at the next one: %r, %s" % (d2["asked"], st["clock"]))
        # With D2 left pending, the next decision is a new one (D2 defaults on the way).
        f.request({"type": "advance", "to": "decision"})
        st = settle(f)
        check(st["t"] == START + 60 * DAY and [x["asked"] for x in st["decisions"]] == ["2026-03-02"],
              "advance to decision with one pending stops at the next new one (2026-03-02): %s, pending %r"
              % (st["clock"], [(x["decision"], x["asked"]) for x in st["decisions"]]))
        made = u.expect(lambda m: m.get("kind") == "decision.made" and m["data"]["decision"] == d2["decision"])
        check(made["date"] == "2026-02-20" and "default at deadline" in made["text"], "D2 defaulted on the way: %r" % made)
        S.kill()

        # 3. --hold-on-decision: a pending human decision stops the clock, and
        # its deadline (10 days = 200 ms at this pace) does not pass.
        S = serve("hold", "--human", "USA", "--pace", "1d=20ms", "--hold-on-decision")
        f, u = S.client("facilitator"), S.client("USA")
        d1 = u.wait_for(lambda m: m["type"] == "decision", timeout=5)
        check(d1["asked"] == "2026-01-21" and d1["deadline"] == "2026-01-31", "the decision: %r" % d1)
        asked_real = time.time()
        s0, r0 = timed_status(f)
        time.sleep(0.4)
        s1, r1 = timed_status(f)
        check(s0["t"] == s1["t"] == START + 20 * DAY,
              "the clock holds at the decision: %s then %s (%.2f s apart)" % (s0["clock"], s1["clock"], r1 - r0))
        check(not s1["paused"], "holding is not pausing: %r" % s1)
        check(time.time() - asked_real > 2 * 10 * 0.020, "the deadline's real time has passed")
        check([x["decision"] for x in s1["decisions"]] == [d1["decision"]], "still pending: %r" % s1["decisions"])
        for c in (u, f):
            c.drain(0.05)
            check(not [m for m in c.msgs if m.get("kind") == "decision.made"], "no default applied while held")
        check(u.request({"type": "answer", "decision": d1["decision"], "option": "yes"})["type"] == "ack", "answered")
        made = u.expect(lambda m: m.get("kind") == "decision.made")
        check(made["data"]["answer"] == "yes" and "default" not in made["text"], "the team's answer counts: %r" % made)
        time.sleep(0.2)
        s2, r2 = timed_status(f)
        check(START + 20 * DAY < s2["t"] <= START + 40 * DAY, "after the answer the clock moves again: %s" % s2["clock"])
        print("clock: --hold-on-decision: held at %s for %.2f s real (deadline 0.20 s at the pace); %s %.2f s after the answer"
              % (s1["clock"], r1 - r0 + (r0 - asked_real), s2["clock"], r2 - r1))
        S.kill()

        # Without --hold-on-decision, the same pace: the deadline passes and
        # the default applies; the seat and the facilitator are told.
        S = serve("nohold", "--human", "USA", "--pace", "1d=20ms")
        f, u = S.client("facilitator"), S.client("USA")
        d1 = u.wait_for(lambda m: m["type"] == "decision", timeout=5)
        t0 = time.time()
        for c, who in ((u, "the seat"), (f, "the facilitator")):
            made = c.expect(lambda m: m.get("kind") == "decision.made" and m["data"]["decision"] == d1["decision"], timeout=3)
            check(made["data"]["answer"] == "no" and "default at deadline" in made["text"] and made["date"] == "2026-01-31",
                  "%s is told the default applied at the deadline: %r" % (who, made))
        print("clock: without --hold-on-decision the default applied %.2f s after the decision was asked" % (time.time() - t0))
        x = u.request({"type": "answer", "decision": d1["decision"], "option": "yes"})
        check(x["type"] == "error" and x["code"] == "closed", "a defaulted decision is closed: %r" % x)
        st = f.request({"type": "status"})
        check(st["t"] > START + 30 * DAY and d1["decision"] not in [x["decision"] for x in st["decisions"]],
              "the clock ran past the deadline: %s" % st["clock"])
        S.kill()

        # 4. pause and resume from the facilitator.
        S = serve("pause", "--pace", "1d=20ms")
        f = S.client("facilitator")
        time.sleep(0.2)
        check(f.request({"type": "pause"})["type"] == "ack", "pause acked")
        s0, r0 = timed_status(f)
        check(s0["paused"] and s0["t"] > START, "paused after running: %r" % s0)
        time.sleep(0.6)
        s1, r1 = timed_status(f)
        check(s1["t"] == s0["t"], "pause stops the clock: %s then %s" % (s0["clock"], s1["clock"]))
        r = time.time()
        check(f.request({"type": "resume"})["type"] == "ack", "resume acked")
        r = (r + time.time()) / 2
        time.sleep(0.4)
        s2, r2 = timed_status(f)
        days, want = (s2["t"] - s1["t"]) / DAY, 50.0 * (r2 - r)
        check(not s2["paused"], "resumed: %r" % s2)
        check(0.5 * want <= days <= 1.5 * want,
              "resume restarts the clock at the pace, from where it stopped: %.1f days in %.2f s (about %.1f)" % (days, r2 - r, want))
        print("clock: paused at %s for %.2f s; resumed: %.1f days in %.2f s (about %.1f)" % (s1["clock"], r1 - r0, days, r2 - r, want))
        S.kill()
    finally:
        fleet.stop()


def t_pace(tmp):
    """The white cell's `pace` message: applied at once from where the clock
    is, told to everyone, journaled (kept by a resume after kill -9), keyed
    by its id like any input, refused to a team and the rfi desk, and for a
    pace it cannot read; refused in step mode and in turns."""
    fleet = Fleet(tmp, "serve_pace")
    serve = fleet.serve
    people = os.path.join(tmp, "people.csv")
    with open(people, "w") as f:
        f.write("name,seat,role\nUSA,USA,lead\nUma,facilitator,umpire\nRita,facilitator,rfi\n")

    def rate(c, secs):
        """Simulated days per real second, measured over `secs`."""
        s0, r0 = timed_status(c)
        time.sleep(secs)
        s1, r1 = timed_status(c)
        return (s1["t"] - s0["t"]) / DAY / (r1 - r0)

    try:
        S = serve("pace", "--human", "USA", "--pace", "1d=20ms", "--people", people)
        f, u = S.client("facilitator"), S.client("USA")
        rita = S.client()
        check(rita.hello("facilitator", S.person("Rita")["token"])["role"] == "rfi", "the rfi desk joins")
        st = f.request({"type": "status"})
        check(st["pace"] == "1d=20ms" and st["rate"] == 4320000.0 and st["mode"] == "pace", "status has the pace: %r" % st)
        fast = rate(f, 0.4)
        # The umpire slows the clock down to a tenth: ack, then everyone learns it.
        a = f.request({"type": "pace", "pace": "1d=200ms"})
        check(a["type"] == "ack" and a["input"] >= 1, "pace acked: %r" % a)
        pid, pinput = f.n, a["input"]
        for c, who in ((f, "the umpire"), (u, "the team"), (rita, "the rfi desk")):
            m = c.wait_for(lambda m: m["type"] == "clock", timeout=5)
            check(m["pace"] == "1d=200ms" and m["rate"] == 432000.0 and m["mode"] == "pace" and not m["paused"],
                  "%s is told the new pace: %r" % (who, m))
        slow = rate(f, 0.6)
        print("pace: %.1f sim days/s at 1d=20ms (asked 50), %.1f at 1d=200ms (asked 5)" % (fast, slow))
        check(25 <= fast <= 75 and 2.5 <= slow <= 7.5, "the clock runs at the pace set: %.1f then %.1f d/s" % (fast, slow))
        check(f.request({"type": "status"})["pace"] == "1d=200ms", "status says the new pace")
        # Other ways of writing it; the same id again is a retry, applied once.
        f.send({"type": "pace", "pace": "1d=200ms", "id": pid})
        r = f.wait_for(lambda m: m.get("id") == pid)
        check(r["type"] == "ack" and r["input"] == pinput and r.get("repeated"), "a retry gets the first ack: %r" % r)
        f.send({"type": "pace", "pace": "2d=1s", "id": pid})
        r = f.wait_for(lambda m: m.get("id") == pid)
        check(r["type"] == "error" and r["code"] == "duplicate_id", "the same id for another pace: %r" % r)
        # A team and the rfi desk may not; a pace that does not read is refused, saying what reads.
        r = u.request({"type": "pace", "pace": "1d=1s"})
        check(r["type"] == "error" and r["code"] == "forbidden", "a team may not set the pace: %r" % r)
        r = rita.request({"type": "pace", "pace": "1d=1s"})
        check(r["type"] == "error" and r["code"] == "not_umpire", "the rfi desk may not set the pace: %r" % r)
        for bad in ("fast", "1d", "1d=0s", "=10s", "1d=10x", "1d=s", "0d=1s", "-1d=1s", "1d=1e300min", "1000w=1ms", 7, None):
            msg = {"type": "pace"} if bad is None else {"type": "pace", "pace": bad}
            r = f.request(msg)
            check(r["type"] == "error" and r["code"] == "bad_field" and "'pace' must be" in r["message"] and
                  "SIM=REAL" in r["message"] and "1d=10s" in r["message"], "pace %r refused, saying what reads: %r" % (bad, r))
        # Paused stays paused under a new pace; resume runs at it.
        f.request({"type": "pause"})
        a = f.request({"type": "pace", "pace": "12h=50ms", "id": "slow-2"})
        check(a["type"] == "ack", "pace while paused: %r" % a)
        m = u.wait_for(lambda m: m["type"] == "clock" and m["pace"] == "12h=50ms", timeout=5)
        check(m["paused"] and m["rate"] == 864000.0, "paused stays paused: %r" % m)
        s0 = f.request({"type": "status"})
        time.sleep(0.3)
        check(f.request({"type": "status"})["t"] == s0["t"], "the clock stays stopped")
        f.request({"type": "resume"})
        got = rate(f, 0.5)
        check(5 <= got <= 15, "resumed at the new pace (10 d/s): %.1f" % got)
        # kill -9 and resume: the pace is the journal's, not the header's.
        S.kill()
        S = serve("pace", resume="j")
        f = S.client("facilitator")
        st = f.request({"type": "status"})
        check(st["pace"] == "12h=50ms" and not st["paused"], "the pace survives kill -9 and --resume: %r" % st)
        got = rate(f, 0.5)
        check(5 <= got <= 15, "and the clock runs at it: %.1f d/s" % got)
        f.send({"type": "pace", "pace": "1d=200ms", "id": pid})
        r = f.wait_for(lambda m: m.get("id") == pid)
        check(r["type"] == "ack" and r["input"] == pinput and r.get("repeated"), "a retry after the resume is not applied again: %r" % r)
        check(f.request({"type": "status"})["pace"] == "12h=50ms", "the retry changed nothing")
        f.request({"type": "end"})
        S.wait()
        out = os.path.join(tmp, "x")
        r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "pace", "j"), "--export", out, "--quiet"], capture_output=True, text=True)
        check(r.returncode == 0, "replay --export: %s" % r.stderr)
        with open(os.path.join(out, "white_cell.csv")) as fh:
            rows = [l for l in fh if l.startswith("pace,")]
        check(len(rows) == 2 and "1d=200ms" in rows[0] and "12h=50ms" in rows[1], "the after-action data lists the paces: %r" % rows)

        # Step mode: there is no pace to set; in turns neither.
        S = serve("step", "--human", "USA", "--step")
        f = S.client("facilitator")
        r = f.request({"type": "pace", "pace": "1d=1s"})
        check(r["type"] == "error" and r["code"] == "step_mode" and "step mode" in r["message"], "pace in step mode: %r" % r)
        check(f.request({"type": "status"})["mode"] == "step", "still step mode")
        S.kill()
        S = serve("turns", "--human", "USA", "--turns", "10d")
        f = S.client("facilitator")
        r = f.request({"type": "pace", "pace": "1d=1s"})
        check(r["type"] == "error" and r["code"] == "turn_mode" and "turns" in r["message"], "pace in turns: %r" % r)
        S.kill()
    finally:
        fleet.stop()


def t_clock_push(tmp):
    """Every connection learns of a change of the clock's state at once, from
    a `clock` message, without asking for a status: pause, resume, an advance
    begun and done, a decision holding the clock and letting it go; and a
    connection's welcome says how the clock stands (also after kill -9 and
    --resume)."""
    fleet = Fleet(tmp, "serve_clock_push")
    serve = fleet.serve

    def told(c, pred, what, within=1.5):
        """The next clock message, which must come within `within` s."""
        t0 = time.time()
        m = c.wait_for(lambda m: m["type"] == "clock", timeout=within)
        check(pred(m), "%s: %r" % (what, m))
        return m, time.time() - t0

    try:
        S = serve("paced", "--human", "USA", "--pace", "1d=100ms", "--hold-on-decision")
        f, u = S.client("facilitator"), S.client("USA")
        w = u.msgs[-1]
        check(w["type"] == "welcome" and w["paused"] is False and w["mode"] == "pace" and w["pace"] == "1d=100ms"
              and w["hold"] is True and w["held"] is False and w["advancing"] is False and w["t"] >= START,
              "the welcome says how the clock stands: %r" % w)
        time.sleep(0.3)
        # The umpire pauses: the team is told at once (it sends nothing).
        n_sent = len(u.msgs)
        a = f.request({"type": "pause"})
        check(a["type"] == "ack", "pause acked: %r" % a)
        m, dt = told(u, lambda m: m["paused"] is True and m["advancing"] is False and m["t"] > START,
                     "the team learns of the pause")
        check(not any(x["type"] == "status" for x in u.msgs[n_sent:]), "with no status asked for")
        told(f, lambda m: m["paused"] is True, "the umpire's own connection too")
        print("clock push: the team saw the pause %.0f ms after the umpire's ack" % (dt * 1000))
        paused_t = m["t"]
        time.sleep(0.2)
        check(f.request({"type": "status"})["t"] == paused_t, "the clock message says where it stopped")
        # Paused again: still told (the sender's screen and the others' agree).
        f.request({"type": "pause"})
        told(u, lambda m: m["paused"] is True and m["t"] == paused_t, "a second pause is told too")
        f.request({"type": "resume"})
        told(u, lambda m: m["paused"] is False and m["held"] is False, "the team learns of the resume")
        # The decision of day 20 holds the clock (--hold-on-decision), and the
        # answer lets it go: both told.
        d1 = u.wait_for(lambda m: m["type"] == "decision", timeout=5)
        m = u.wait_for(lambda m: m["type"] == "clock" and m["held"], timeout=3)
        check(m["paused"] is False and m["t"] == START + 20 * DAY, "held at the decision, not paused: %r" % m)
        check(f.wait_for(lambda m: m["type"] == "clock" and m["held"], timeout=3)["t"] == START + 20 * DAY,
              "the white cell sees the hold too")
        u.request({"type": "answer", "decision": d1["decision"], "option": "yes"})
        told(u, lambda m: m["held"] is False and m["paused"] is False, "the answer lets the clock go")
        f.request({"type": "pause"})
        m, _ = told(u, lambda m: m["paused"] is True, "paused again")
        # kill -9, --resume: a new connection's welcome says paused.
        S.kill()
        S = serve("paced", resume="j")
        u = S.client("USA")
        w = u.msgs[-1]
        check(w["type"] == "welcome" and w["paused"] is True and w["pace"] == "1d=100ms" and w["hold"] is True,
              "after kill -9 and --resume the welcome says paused: %r" % w)
        f = S.client("facilitator")
        f.request({"type": "resume"})
        told(u, lambda m: m["paused"] is False, "and a resume after it is told")
        S.kill()

        # Step mode: an advance is told when it begins (here it waits for a
        # team's decision, so it is seen running) and when it is done.
        S = serve("step", "--human", "USA", "--step", "--hold-on-decision")
        f, u = S.client("facilitator"), S.client("USA")
        w = u.msgs[-1]
        check(w["mode"] == "step" and w["paused"] is True and w["t"] == START, "a step game's welcome: %r" % w)
        check(f.request({"type": "advance", "by": "30d"})["type"] == "ack", "advance 30d acked")
        m = u.wait_for(lambda m: m["type"] == "clock" and m["held"], timeout=3)
        check(m["advancing"] is True and m["t"] == START + 20 * DAY, "the advance waits at the decision: %r" % m)
        d1 = u.expect(lambda m: m["type"] == "decision", timeout=3)
        u.request({"type": "answer", "decision": d1["decision"], "option": "no"})
        m = u.wait_for(lambda m: m["type"] == "clock" and not m["advancing"], timeout=3)
        check(m["t"] == START + 30 * DAY and m["clock"] == "2026-01-31" and not m["held"] and m["paused"],
              "the team is told the advance is done, where it stopped: %r" % m)
        # An advance that begins and ends at once is still told; sent again
        # with the same id (a retry after a lost ack) it is applied once.
        f.send({"type": "advance", "by": "1d", "id": "adv-once"})
        a = f.wait_for(lambda m: m.get("id") == "adv-once")
        m = u.wait_for(lambda m: m["type"] == "clock" and not m["advancing"], timeout=3)
        check(m["t"] == START + 31 * DAY, "a short advance is told: %r" % m)
        f.send({"type": "advance", "by": "1d", "id": "adv-once"})
        r = f.wait_for(lambda m: m.get("id") == "adv-once")
        check(r["type"] == "ack" and r.get("repeated") and r["input"] == a["input"], "a retried advance gets its first ack: %r" % r)
        time.sleep(0.2)
        check(f.request({"type": "status"})["t"] == START + 31 * DAY, "and the clock moved one day, not two")
        # "1 month", as the dashboard's Advance field suggests: a calendar
        # month from where the clock is (February has 28 days), kept in
        # seconds by the journal, so a resume after kill -9 is where it was.
        def done(c):
            """The clock message that says the advance is done; the team answers
            the decisions that hold it on the way."""
            while True:
                m = c.wait_for(lambda m: m["type"] == "clock", timeout=3)
                if m["held"]:
                    d = [x for x in c.msgs if x["type"] == "decision"][-1]
                    c.request({"type": "answer", "decision": d["decision"], "option": "yes"})
                elif not m["advancing"]:
                    return m
        a = f.request({"type": "advance", "by": "1 month"})
        check(a["type"] == "ack", "advance by '1 month' acked: %r" % a)
        m = done(u)
        check(m["clock"] == "2026-03-01" and m["t"] == START + 59 * DAY, "a month from 2026-02-01: %r" % m)
        f.request({"type": "advance", "by": "2 weeks"})
        m = done(u)
        check(m["clock"] == "2026-03-15", "two weeks on: %r" % m)
        r = f.request({"type": "advance", "by": "1 fortnight"})
        check(r["type"] == "error" and r["code"] == "bad_field" and "1 month" in r["message"],
              "a duration that does not read is refused, saying what reads: %r" % r)
        S.kill()
        S = serve("step", resume="j")
        f = S.client("facilitator")
        check(f.request({"type": "status"})["clock"] == "2026-03-15", "the months survive kill -9 and --resume")
        S.kill()
        # The after-action report says how far each advance went, and who may
        # see a private event by name.
        rep = os.path.join(tmp, "aar.html")
        r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "step", "j"), "--report", rep, "-q"],
                           capture_output=True, text=True)
        check(r.returncode == 0, "replay --report: %s" % r.stderr)
        html = open(rep).read()
        for want in ("by 30d", "by 1d", "by 28d", "by 14d"):
            check("<td>%s</td>" % want in html, "the report's white-cell table says '%s'" % want)
        check("<td>USA</td></tr>" in html and "[&quot;USA&quot;]" not in html and '["USA"]' not in html,
              "a private event is seen by 'USA', not a JSON list")
        md = open(rep[:-5] + ".md").read()
        check("| by 28d |" in md and '["USA"]' not in md, "and the Markdown version")
    finally:
        fleet.stop()


def t_fuzz(tmp):
    """Thousands of mutated messages from a seat and from the facilitator:
    every 50, a well-formed ping must be answered with its pong (same id); a
    connection may only have been closed if the server said why first (abuse),
    and then the ping is answered on a new connection. The server stays up and
    keeps serving well-behaved clients (ASan watches under make check)."""
    import random
    rnd = random.Random(20261127)
    S = step_server(tmp)
    odd = [None, True, False, 0, -1, 1.5, 2 ** 63, -2 ** 63 - 1, 1e308, "", "x", "D1", "D999",
           "USA", "RUS", "facilitator", "yes", "statement", "crisis", "10d", "-3d", "99999999999d",
           "decision", "\u0000", "\u00e9\u4e2d", "z" * 3000, [], [1, "a"], {}, {"text": "hi"},
           {"deep": [[[[[[{}]]]]]]}]
    types = ["hello", "ping", "status", "answer", "move", "inject", "pause", "resume",
             "advance", "seat", "broadcast", "launch", 5, None]      # never "end"
    fields = ["v", "seat", "token", "last_seq", "decision", "option", "move", "args", "name",
              "by", "to", "human", "text", "id"]

    def mutant():
        m = {"type": rnd.choice(types)}
        for _ in range(rnd.randrange(0, 5)):
            m[rnd.choice(fields)] = rnd.choice(odd)
        return m

    def connect(seat):
        while True:
            try:
                return S.client(seat)
            except (AssertionError, OSError):
                time.sleep(0.05)

    def ping(c, k):
        """Sends a ping with a fresh string id; the pong answering it, or None
        if the connection closed first."""
        pid = "ping-%d" % k
        try:
            c.send({"type": "ping", "id": pid})
            return c.wait_for(lambda m: m.get("id") == pid, timeout=10)
        except (AssertionError, OSError):
            return None

    def closed_with_reason(c):
        try:
            while c.recv(0.5) is not None:
                pass
        except (OSError, ValueError):
            pass
        return any(m.get("type") == "error" and m.get("code") == "abuse" for m in c.msgs)

    sent = pings = answered = reconnects = 0
    try:
        for seat in ("USA", "facilitator"):
            c = connect(seat)
            for i in range(1500):
                kind = rnd.random()
                try:
                    if kind < 0.8:
                        c.send(mutant())
                    elif kind < 0.9:
                        c.send_raw(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 200))) + b"\n")
                    else:
                        c.send_raw(json.dumps(mutant()).encode()[: rnd.randrange(1, 40)] + b"\n")
                    sent += 1
                except OSError:
                    pass   # closed under us: the ping below finds out why
                if i % 50 == 49:   # a well-formed ping must still be answered
                    pings += 1
                    r = ping(c, pings)
                    if r is None:
                        check(closed_with_reason(c), "a connection closed without an 'abuse' error first")
                        reconnects += 1
                        c = connect(seat)
                        r = ping(c, pings)
                    check(r is not None and r["type"] == "pong" and r["id"] == "ping-%d" % pings,
                          "ping %d answered with its pong: %r" % (pings, r))
                    answered += 1
        check(pings == 60 and answered == pings, "every ping answered (%d of %d)" % (answered, pings))
        check(S.p.poll() is None, "the server is still up after %d mutated messages" % sent)
        fresh = S.client("RUS")
        check(fresh.request({"type": "ping"})["type"] == "pong", "a new client is served")
        st = S.client("facilitator").request({"type": "status"})
        check(st["type"] == "status", "status still works: %r" % st)
        print("fuzz: %d mutated messages, %d pings answered, %d reconnects" % (sent, answered, reconnects))
    finally:
        S.kill()


if __name__ == "__main__":
    run_tests(globals())
