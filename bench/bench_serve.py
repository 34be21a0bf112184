"""bench_serve.py: load generator for `detente serve`: N clients hold seats S1..S50
of bench/serve_bench.lua and send private `note` moves at a combined RATE per second for DURATION
seconds, each move timed from send to ack. Prints acknowledged moves, errors
and p50/p99/max acknowledgement latency. Journal fsync stays on."""
import asyncio, json, os, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from serve_lib import Server, DATA

CLIENTS = int(os.environ.get("CLIENTS", "50"))
RATE = float(os.environ.get("RATE", "1000"))
DURATION = float(os.environ.get("DURATION", "30"))


async def client(port, tokens, idx, lat, errs, stop_at):
    seat = "S%d" % (idx % 50 + 1)
    token = tokens[seat]
    r, w = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
    w.write((json.dumps({"type": "hello", "v": 1, "seat": seat, "token": token, "last_seq": 1 << 60}) + "\n").encode())
    await w.drain()
    while True:
        m = json.loads(await r.readline())
        if m["type"] == "welcome":
            break
    sent = {}
    period = CLIENTS / RATE

    async def reader():
        while True:
            line = await r.readline()
            if not line:
                return
            if line.startswith(b'{"type":"event"'):
                continue   # every public statement reaches every client; parsing them all would time the client
            m = json.loads(line)
            if m.get("type") == "ack" and m.get("id") in sent:
                lat.append(time.perf_counter() - sent.pop(m["id"]))
            elif m.get("type") == "error":
                errs.append(m)
                sent.pop(m.get("id"), None)

    rt = asyncio.ensure_future(reader())
    n = 0
    next_t = time.perf_counter() + period * idx / CLIENTS
    while time.perf_counter() < stop_at:
        await asyncio.sleep(max(0, next_t - time.perf_counter()))
        n += 1
        sent[n] = time.perf_counter()
        w.write((json.dumps({"type": "move", "id": n, "move": "note",
                             "args": {"text": "c%d m%d" % (idx, n)}}) + "\n").encode())
        await w.drain()
        next_t += period
    end = time.perf_counter() + 5
    while sent and time.perf_counter() < end:
        await asyncio.sleep(0.01)
    lost = len(sent)
    rt.cancel()
    w.close()
    return lost


async def main(S):
    lat, errs = [], []
    stop_at = time.perf_counter() + DURATION
    lost = await asyncio.gather(*[client(S.port, S.tokens, i, lat, errs, stop_at) for i in range(CLIENTS)])
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    print("clients %d, target %.0f moves/s for %.0f s (fsync on)" % (CLIENTS, RATE, DURATION))
    print("acknowledged %d (%.0f/s), errors %d, unanswered %d" % (len(lat), len(lat) / DURATION, len(errs), sum(lost)))
    print("ack latency ms: p50 %.2f  p99 %.2f  max %.2f" % (q(0.50), q(0.99), lat[-1] * 1000 if lat else float("nan")))
    if errs:
        print("first error:", errs[0])


if __name__ == "__main__":
    tmp = os.environ.get("BENCH_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "build", "bench-serve"))
    os.makedirs(tmp, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    S = Server([os.path.join(here, "serve_bench.lua"), "--human", ",".join("S%d" % i for i in range(1, 51)),
                "--journal", "j", "--pace", "1d=1s"], tmp)
    try:
        asyncio.run(main(S))
    finally:
        S.kill()
