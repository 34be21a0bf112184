"""serve_durability.py: docs/protocol.md promises that an input is on disk
(written and fdatasync'ed) before its ack or anything it caused leaves the
server, and that a failed sync stops the server without acknowledging. SIGKILL
cannot tell a write from a sync, so this watches the system calls themselves
through an LD_PRELOAD shim (tests/lib/dura_shim.c) and makes them fail."""
import os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, check, DATA
SCEN = os.path.join(DATA, "serve_basic.lua")

SHIM = sys.argv[1]


def serve(tmp, fail=None):
    env = {"LD_PRELOAD": SHIM, "DURA_LOG": os.path.join(tmp, "calls"), "DURA_JOURNAL": "j",
           "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
    if fail:
        env["DURA_FAIL"] = fail
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return Server([SCEN, "--human", "USA", "--journal", "j", "--step"], tmp)
    finally:
        for k, v in saved.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v


def calls(tmp):
    with open(os.path.join(tmp, "calls")) as f:
        return [l.split() for l in f]


def inputs(S):
    """Several kinds of input, each acknowledged; yields after each ack."""
    f = S.client("facilitator")
    u = S.client("USA")
    yield f, f.request({"type": "advance", "to": "decision"})
    u.expect(lambda m: m["type"] == "decision")   # asked once the clock gets there
    for msg, who in (({"type": "answer", "decision": "D1", "option": "yes"}, u),
                     ({"type": "move", "move": "statement", "args": {"text": "hello"}}, u),
                     ({"type": "inject", "name": "crisis"}, f), ({"type": "broadcast", "text": "hi"}, f),
                     ({"type": "pause"}, f), ({"type": "seat", "seat": "USA", "human": True}, f)):   # resume is refused in step mode
        yield who, who.request(msg)


def order():
    with tempfile.TemporaryDirectory() as tmp:
        S = serve(tmp)
        try:
            acks = [r for _, r in inputs(S)]
            check(all(r["type"] == "ack" for r in acks), "every input acknowledged: %r" % acks)
        finally:
            S.kill()
        log = calls(tmp)
        unsynced, syncs, acked = 0, 0, 0
        for c in log:
            if c[0] == "journal-write": unsynced += 1
            elif c[0] == "journal-sync": unsynced = 0; syncs += 1
            elif c[0] == "socket-write" and c[-1] == "ack":
                acked += 1
                check(unsynced == 0, "an ack left the server with %d journal write(s) not yet synced: %r" % (unsynced, log))
        check(acked >= len(acks) and syncs > len(acks), "every ack seen after its sync (%d acks, %d syncs)" % (acked, syncs))
        print("order: %d acks, each after the fdatasync of its journal write (%d syncs)" % (acked, syncs))
        # Calls up to the second ack: the journal's creation, the first two
        # inputs and the clock checkpoints the advance wrote.
        second = [i for i, c in enumerate(log) if c[0] == "socket-write" and c[-1] == "ack"][1]
        return {"write": sum(c[0] == "journal-write" for c in log[:second]),
                "fdatasync": sum(c[0] == "journal-sync" for c in log[:second])}


def failure(call, err, startup):
    """The journal's sync (or write) for the third input fails: that input
    gets no ack, the server stops with exit 3 and says why."""
    with tempfile.TemporaryDirectory() as tmp:
        # `startup` calls take the session to its second ack; the next fails
        S = serve(tmp, "%s:%s:%d" % (call, err, startup[call] + 1))
        try:
            got = []
            try:
                for who, r in inputs(S):
                    got.append(r)
            except AssertionError:
                pass   # the connection closed while waiting for the third ack
            check(len(got) == 2 and all(r["type"] == "ack" for r in got), "two inputs acknowledged before the failure: %r" % got)
            rc = S.p.wait(20)
        finally:
            S.kill()
        check(rc == 3, "the server stops with exit 3 (I/O) when the journal's %s fails with %s, got %r" % (call, err, rc))
        check("stopping without acknowledging" in S.stderr(), "it says why: %r" % S.stderr()[-500:])
        log = calls(tmp)
        failed = [i for i, c in enumerate(log) if c[0].endswith("-failed")]
        check(len(failed) == 1, "one injected failure: %r" % log)
        after = [c for c in log[failed[0]:] if c[0] == "socket-write" and c[-1] == "ack"]
        check(not after, "no ack after the failed %s: %r" % (call, after))
        print("%s %s: 2 acks, then the server stopped (exit 3) and sent no ack" % (call, err))


startup = order()
for call in ("fdatasync", "write"):
    for err in ("EIO", "ENOSPC"):
        failure(call, err, startup)
