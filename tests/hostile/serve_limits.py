"""serve_limits.py: in `detente serve`, a hook that hits a limit (a pattern
bomb, an endless loop, a hook rescheduling itself with no delay) fails that
step only; the server keeps answering and the session goes on."""
import os, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from serve_lib import Server, check  # noqa: E402

SCEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "serve_bomb.lua")
with tempfile.TemporaryDirectory() as tmp:
    S = Server([SCEN, "--human", "USA", "--step", "--max-instructions", "20000000", "--max-seconds", "2",
                "--journal", os.path.join(tmp, "j")], tmp)
    try:
        f = S.client("facilitator")
        for name, want in (("bomb", "instruction limit exceeded"), ("loop", "instruction limit exceeded")):
            t0 = time.time()
            x = f.request({"type": "inject", "name": name}, timeout=30)
            took = time.time() - t0
            check(x["type"] == "error" and want in x.get("message", ""), "%s: refused with '%s': %r" % (name, want, x))
            check(took < 10, "%s: answered in %.1f s" % (name, took))
            check(f.request({"type": "ping"})["type"] == "pong", "%s: the server still answers" % name)
            x = f.request({"type": "inject", "name": "fine"})
            check(x["type"] == "ack", "%s: the next inject works: %r" % (name, x))
        # A hook that reschedules itself with no delay: the step that runs it fails.
        check(f.request({"type": "inject", "name": "zero"})["type"] == "ack", "zero: scheduled")
        t0 = time.time()
        f.request({"type": "advance", "by": "1d"})
        e = f.expect(lambda m: m["type"] == "error" and "event limit exceeded" in m.get("message", ""), timeout=30)
        check(time.time() - t0 < 20, "zero: stopped in %.1f s" % (time.time() - t0))
        check(f.request({"type": "ping"})["type"] == "pong", "zero: the server still answers")
        # The hook is still due at this instant (the step was rolled back), so
        # inputs now fail the same way, quickly, and the server goes on.
        t0 = time.time()
        x = f.request({"type": "inject", "name": "fine"}, timeout=30)
        check(x["type"] == "ack" or "event limit exceeded" in x.get("message", ""), "zero: then %r" % x)
        check(time.time() - t0 < 10 and f.request({"type": "ping"})["type"] == "pong", "zero: still answering")
        f.request({"type": "end"})
    finally:
        S.kill()
print("ok: limits in serve fail one step; the server keeps answering")
