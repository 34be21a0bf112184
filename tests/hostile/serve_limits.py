"""serve_limits.py: in `detente serve`, a hook that hits a limit (a pattern
bomb, an endless loop, a hook rescheduling itself with no delay) fails that
step only; the server keeps answering and the session goes on. A step that
fails on a limit cancels what hit it (a journaled `cancel` record), so later
inputs and steps at that instant work, and a resume after kill -9, a branch
and a replay of the journal give the same session."""
import json, os, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from serve_lib import DETENTE, Server, check  # noqa: E402

SCEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "serve_bomb.lua")
LIMITS = ["--max-instructions", "20000000", "--max-seconds", "2"]
ARGS = [SCEN, "--human", "USA", "--step"] + LIMITS


def advance(f, by="1d"):
    """Advances the clock; returns the script_error the step gave, or None."""
    k = len(f.msgs)
    x = f.request({"type": "advance", "by": by}, timeout=30)
    check(x["type"] == "ack", "advance: %r" % x)
    end = time.time() + 60
    while time.time() < end:
        st = f.request({"type": "status"}, timeout=30)
        errs = [m for m in f.msgs[k:] if m["type"] == "error" and m.get("code") == "script_error"]
        if errs:
            return errs[0]
        if not st["advancing"]:
            return None
        time.sleep(0.05)
    raise AssertionError("advance: the clock never got there")


def state(f):
    st = f.request({"type": "status"})
    return {k: st[k] for k in ("t", "inputs", "events", "paused")}


def fine(f):
    """Fires the inject that counts; returns its event's text."""
    k = len(f.msgs)
    x = f.request({"type": "inject", "name": "fine"}, timeout=30)
    check(x["type"] == "ack", "fine: %r" % x)
    got = [m for m in f.msgs[k:] if m["type"] == "event" and m["kind"] == "fine"]
    return (got[0] if got else f.wait_for(lambda m: m["type"] == "event" and m["kind"] == "fine"))["text"]


with tempfile.TemporaryDirectory() as tmp:
    j = os.path.join(tmp, "j")
    S = Server(ARGS + ["--journal", j], tmp)
    try:
        f = S.client("facilitator")
        for name, want in (("bomb", "instruction limit exceeded"), ("loop", "instruction limit exceeded")):
            t0 = time.time()
            x = f.request({"type": "inject", "name": name}, timeout=30)
            took = time.time() - t0
            check(x["type"] == "error" and want in x.get("message", ""), "%s: refused with '%s': %r" % (name, want, x))
            check(took < 10, "%s: answered in %.1f s" % (name, took))
            check(f.request({"type": "ping"})["type"] == "pong", "%s: the server still answers" % name)
            check(fine(f) == "still alive %d" % (["bomb", "loop"].index(name) + 1), "%s: the next inject works" % name)
        # A hook that reschedules itself with no delay: the step that runs it
        # fails on the instant cap, the hook is cancelled, the session goes on.
        check(f.request({"type": "inject", "name": "zero"})["type"] == "ack", "zero: scheduled")
        t0 = time.time()
        e = advance(f)
        check(e and "event limit exceeded" in e["message"], "zero: the step failed on the instant cap: %r" % e)
        check("serve_bomb.lua:9" in e.get("cancelled", "") and "at() or after()" in e["cancelled"]
              and "The server cancelled" in e["message"], "zero: the error names the hook cancelled: %r" % e)
        check(time.time() - t0 < 30, "zero: stopped in %.1f s" % (time.time() - t0))
        check(state(f)["t"] == 1767225600, "zero: the clock stayed where the step failed")
        # Later inputs at the same instant work (on main they failed the same way).
        t0 = time.time()
        check(fine(f) == "still alive 3", "zero: an inject at that instant works")
        check(time.time() - t0 < 5, "zero: answered in %.1f s" % (time.time() - t0))
        check(advance(f) is None and state(f)["t"] == 1767225600 + 86400, "zero: the clock moves on")
        # An input that sets off a hook that loops: refused, the hook cancelled,
        # the input sent again works.
        check(f.request({"type": "inject", "name": "snare"})["type"] == "ack", "snare: armed")
        x = f.request({"type": "inject", "name": "fine"}, timeout=30)
        check(x["type"] == "error" and "instruction limit exceeded" in x["message"]
              and 'on("fine")' in x.get("cancelled", "") and "send it again" in x["message"],
              "snare: the input was refused and the hook cancelled: %r" % x)
        check(fine(f) == "still alive 4", "snare: the input sent again works")
        # An on() hook that loops when a legitimate hook's event comes: the
        # on() hook is cancelled, the hook that emitted runs on the retry.
        check(f.request({"type": "inject", "name": "trap"})["type"] == "ack", "trap: armed")
        e = advance(f)
        check(e and "instruction limit exceeded" in e["message"] and 'on("ping")' in e.get("cancelled", ""),
              "trap: the on() hook hit the limit and was cancelled: %r" % e)
        check(advance(f) is None, "trap: the retried step works")
        ping = f.expect(lambda m: m["type"] == "event" and m["kind"] == "ping")
        check(ping["text"] == "ping 4", "trap: the legitimate hook ran: %r" % ping)
        # A when() predicate that loops: cancelled, the step's hook runs.
        check(f.request({"type": "inject", "name": "stuck"})["type"] == "ack", "stuck: armed")
        e = advance(f)
        check(e and "instruction limit exceeded" in e["message"] and "when()" in e.get("cancelled", ""),
              "stuck: the when() hook hit the limit and was cancelled: %r" % e)
        check(advance(f) is None, "stuck: the retried step works")
        check(f.expect(lambda m: m["type"] == "event" and m["kind"] == "later")["text"] == "later 4",
              "stuck: the step's hook ran")
        live = state(f)
        live_events = [(m["seq"], m["kind"], m["text"]) for m in f.events()]
    finally:
        S.kill()   # kill -9
    # The journal holds the cancellations; a resume gives the same session.
    with open(j, "rb") as fh:
        raw = fh.read()
    check(raw.count(b'"type":"cancel"') == 4, "four cancel records in the journal")
    R = Server(LIMITS, tmp, resume=j)
    try:
        f = R.client("facilitator")
        check(state(f) == live, "resume: the same session: %r vs %r" % (state(f), live))
        check(fine(f) == "still alive 5", "resume: the run's state is the live one's")
        check(advance(f) is None, "resume: the clock moves on")
        seq = live["events"]
    finally:
        R.kill()
    # A replay writes the log the live session sent, and a branch at the last
    # live event starts from the same state.
    log = os.path.join(tmp, "replay.jsonl")
    p = subprocess.run([DETENTE, "replay", j, "--log", log], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, "replay: %s" % p.stderr)
    with open(log) as fh:
        rows = [json.loads(x) for x in fh if x.strip()]
    replayed = [(r["seq"], r["kind"], r["text"]) for r in rows if "seq" in r and r["seq"] <= seq]
    check(replayed == live_events, "replay: the live events, in order:\n%r\n%r" % (replayed[-5:], live_events[-5:]))
    B = Server(LIMITS + ["--journal", os.path.join(tmp, "b"), "--branch-at", str(seq)], tmp, resume=j)
    try:
        f = B.client("facilitator")
        b = state(f)
        check(b["events"] == seq and b["t"] == live["t"], "branch: the live state: %r vs %r" % (b, live))
        check(advance(f) is None, "branch: the clock moves on")
    finally:
        B.kill()
print("ok: limits in serve fail one step, what hit them is cancelled, the session goes on and resumes the same")
