"""bench_web.py: `detente serve --http` under browser-like load, through
WebSockets (Debian's python3-websockets), journal fsync on.

  moves:  CLIENTS pages hold seats S1..S50 of bench/serve_bench.lua and send
          private `note` moves at a combined RATE per second for DURATION
          seconds; each move is timed from send to ack (p50, p99, max).
  fanout: LISTENERS pages are connected while one page makes SHOUTS public
          `shout` moves; every page must receive every one, and each delivery
          is timed from send to receipt (p50, p99, max).

Each page signs in as a browser does (POST /login, then the cookie)."""
import asyncio, json, os, re, sys, time, urllib.request

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from serve_lib import Server

CLIENTS = int(os.environ.get("CLIENTS", "50"))
RATE = float(os.environ.get("RATE", "1000"))
DURATION = float(os.environ.get("DURATION", "30"))
LISTENERS = int(os.environ.get("LISTENERS", "200"))
SHOUTS = int(os.environ.get("SHOUTS", "200"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def cookie(base, token):
    op = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(base + "login", data=("token=" + token).encode(), method="POST")
    try:
        op.open(req)
    except urllib.error.HTTPError as e:
        return re.search(r"dt_sid=([0-9a-f]{64})", e.headers["Set-Cookie"]).group(1)
    raise RuntimeError("no redirect from /login")


async def page(base, sid):
    ws = await websockets.connect(base.replace("http://", "ws://") + "ws", origin=base.rstrip("/"),
                                  extra_headers={"Cookie": "dt_sid=" + sid}, max_size=1 << 24, compression=None)
    await ws.send(json.dumps({"type": "hello", "v": 1, "last_seq": 1 << 60}))
    while json.loads(await ws.recv())["type"] != "welcome":
        pass
    return ws


def q(lat, p):
    return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")


async def moves(base, sids):
    lat, errs, lost = [], [], 0
    stop_at = time.perf_counter() + DURATION

    async def one(i):
        nonlocal lost
        ws = await page(base, sids["S%d" % (i % 50 + 1)])
        sent, period = {}, CLIENTS / RATE

        async def reader():
            async for m in ws:
                if m.startswith('{"type":"event"') or m.startswith('{"type":"world"'):
                    continue
                o = json.loads(m)
                if o.get("type") == "ack" and o.get("id") in sent:
                    lat.append(time.perf_counter() - sent.pop(o["id"]))
                elif o.get("type") == "error":
                    errs.append(o)
                    sent.pop(o.get("id"), None)
        rt = asyncio.ensure_future(reader())
        n, next_t = 0, time.perf_counter() + period * i / CLIENTS
        while time.perf_counter() < stop_at:
            await asyncio.sleep(max(0, next_t - time.perf_counter()))
            n += 1
            key = "p%d-%d" % (i, n)
            sent[key] = time.perf_counter()
            await ws.send(json.dumps({"type": "move", "id": key, "move": "note", "args": {"text": key}}))
            next_t += period
        end = time.perf_counter() + 5
        while sent and time.perf_counter() < end:
            await asyncio.sleep(0.01)
        lost += len(sent)
        rt.cancel()
        await ws.close()

    await asyncio.gather(*[one(i) for i in range(CLIENTS)])
    lat.sort()
    print("moves: %d pages, target %.0f moves/s for %.0f s (fsync on)" % (CLIENTS, RATE, DURATION))
    print("  acknowledged %d (%.0f/s), errors %d, unanswered %d" % (len(lat), len(lat) / DURATION, len(errs), lost))
    print("  ack latency ms: p50 %.2f  p99 %.2f  max %.2f" % (q(lat, .5), q(lat, .99), lat[-1] * 1000 if lat else float("nan")))
    if errs:
        print("  first error:", errs[0])


async def fanout(base, sids):
    pages = [await page(base, sids["S%d" % (i % 50 + 1)]) for i in range(LISTENERS)]
    shouter = await page(base, sids["S1"])
    sent, lat, got = {}, [], [0] * LISTENERS

    async def listen(k, ws):
        async for m in ws:
            if '"kind":"shout"' in m:
                key = json.loads(m)["text"]
                lat.append(time.perf_counter() - sent[key])
                got[k] += 1
                if got[k] == SHOUTS:
                    return
    tasks = [asyncio.ensure_future(listen(k, ws)) for k, ws in enumerate(pages)]

    async def drain():
        async for _ in shouter:
            pass
    dt = asyncio.ensure_future(drain())
    t0 = time.perf_counter()
    for n in range(SHOUTS):
        key = "shout%d" % n
        sent[key] = time.perf_counter()
        await shouter.send(json.dumps({"type": "move", "id": key, "move": "shout", "args": {"text": key}}))
        await asyncio.sleep(0.02)
    done, pending = await asyncio.wait(tasks, timeout=30)
    took = time.perf_counter() - t0
    dt.cancel()
    for t in pending:
        t.cancel()
    lat.sort()
    print("fanout: %d pages connected, %d public events, each to every page" % (LISTENERS, SHOUTS))
    print("  delivered %d of %d (%s) in %.1f s" % (sum(got), LISTENERS * SHOUTS,
                                                    "all" if sum(got) == LISTENERS * SHOUTS else "MISSING", took))
    print("  delivery latency ms: p50 %.2f  p99 %.2f  max %.2f" % (q(lat, .5), q(lat, .99), lat[-1] * 1000 if lat else float("nan")))
    for ws in pages + [shouter]:
        await ws.close()


if __name__ == "__main__":
    tmp = os.environ.get("BENCH_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "build", "bench-web"))
    os.makedirs(tmp, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    S = Server([os.path.join(here, "serve_bench.lua"), "--human", ",".join("S%d" % i for i in range(1, 51)),
                "--journal", "j", "--pace", "1d=1s", "--http", "127.0.0.1:0"], tmp)
    try:
        base = S.http
        sids = {"S%d" % i: cookie(base, S.tokens["S%d" % i]) for i in range(1, 51)}
        which = sys.argv[1:] or ["moves", "fanout"]
        if "moves" in which:
            asyncio.run(moves(base, sids))
        if "fanout" in which:
            asyncio.run(fanout(base, sids))
    finally:
        S.kill()
