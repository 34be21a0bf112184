"""web_fuzz.py: hostile bytes at `detente serve --http`: malformed and huge
requests, requests cut anywhere, WebSocket frames unmasked, oversized,
fragmented, with reserved bits, ping floods and bad close codes, and
connections that stall. Meanwhile a well-behaved page (a WebSocket with the
session cookie) pings the server: every ping must be answered, quickly, and
the server must stay up and answer a TCP client at the end."""
import os, random, socket, struct, sys, tempfile, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import DETENTE, Server

SCEN = os.path.abspath("tests/cli/data/web_game.lua")
tmp = tempfile.mkdtemp(prefix="web_fuzz.")
rng = random.Random(int(os.environ.get("SEED", "7")))
ROUNDS = int(os.environ.get("ROUNDS", "300"))
fails = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        fails.append(what)


s = Server([SCEN, "--human", "USA", "--step", "--journal", os.path.join(tmp, "j"),
            "--http", "127.0.0.1:0"], tmp)
HTTP = int(s.http.rstrip("/").rsplit(":", 1)[1])


def conn():
    c = socket.create_connection(("127.0.0.1", HTTP), timeout=5)
    return c


def login():
    c = conn()
    body = "token=" + s.tokens["USA"]
    c.sendall(("POST /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\n\r\n%s" % (HTTP, len(body), body)).encode())
    resp = c.recv(4096).decode()
    c.close()
    return resp.split("Set-Cookie: dt_sid=")[1].split(";")[0]


SID = login()


def frame(op, payload, fin=True, mask=True, rsv=0, length=None):
    b = bytes([(0x80 if fin else 0) | rsv << 4 | op])
    n = len(payload) if length is None else length
    mbit = 0x80 if mask else 0
    if n < 126:
        b += bytes([mbit | n])
    elif n < 65536:
        b += bytes([mbit | 126]) + struct.pack(">H", n)
    else:
        b += bytes([mbit | 127]) + struct.pack(">Q", n)
    if not mask:
        return b + payload
    k = bytes(rng.randrange(256) for _ in range(4))
    return b + k + bytes(c ^ k[i % 4] for i, c in enumerate(payload))


def upgrade(cookie=True, origin=True):
    h = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" % HTTP
    h += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    if origin:
        h += "Origin: http://127.0.0.1:%d\r\n" % HTTP
    if cookie:
        h += "Cookie: dt_sid=%s\r\n" % SID
    return (h + "\r\n").encode()


class Page(threading.Thread):
    """The well-behaved page: pings every 50 ms and times each answer."""
    def __init__(self):
        super().__init__(daemon=True)
        self.c = conn()
        self.c.sendall(upgrade())
        resp = b""
        while b"\r\n\r\n" not in resp:
            resp += self.c.recv(4096)
        assert b"101 Switching Protocols" in resp, resp
        self.buf = resp.split(b"\r\n\r\n", 1)[1]
        self.c.sendall(frame(1, b'{"type":"hello","v":1,"last_seq":0}'))
        self.sent = self.answered = 0
        self.worst = 0.0
        self.stop = False

    def read_msg(self):
        while True:
            if len(self.buf) >= 2:
                n = self.buf[1] & 0x7f
                off = 2
                if n == 126:
                    n, off = struct.unpack(">H", self.buf[2:4])[0], 4
                elif n == 127:
                    n, off = struct.unpack(">Q", self.buf[2:10])[0], 10
                if len(self.buf) >= off + n:
                    m, self.buf = self.buf[off:off + n], self.buf[off + n:]
                    return m
            d = self.c.recv(65536)
            if not d:
                raise ConnectionError("the page's socket closed")
            self.buf += d

    def run(self):
        try:
            while not self.stop:
                self.sent += 1
                t0 = time.time()
                self.c.sendall(frame(1, b'{"type":"ping","id":%d}' % self.sent))
                while True:
                    m = self.read_msg()
                    if b'"pong"' in m and b'"id":%d' % self.sent in m:
                        break
                self.answered += 1
                self.worst = max(self.worst, time.time() - t0)
                time.sleep(0.05)
        except Exception as e:
            self.error = e


def attack(i):
    kind = i % 12
    try:
        c = conn()
        if kind == 0:
            c.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000))))
        elif kind == 1:    # huge header
            c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * rng.randrange(20000, 200000) + b"\r\n\r\n")
        elif kind == 2:    # a request cut anywhere, then silence
            r = upgrade()
            c.sendall(r[:rng.randrange(len(r))])
        elif kind == 3:    # no cookie / foreign origin
            c.sendall(upgrade(cookie=rng.random() < 0.5, origin=False))
        elif kind == 4:    # unmasked frame
            c.sendall(upgrade() + frame(1, b'{"type":"ping"}', mask=False))
        elif kind == 5:    # a length far beyond any buffer
            c.sendall(upgrade() + frame(1, b"", length=(1 << 62)))
        elif kind == 6:    # fragmented control frame, reserved bits
            c.sendall(upgrade() + frame(9, b"x", fin=False) + frame(1, b"{}", rsv=rng.randrange(1, 8)))
        elif kind == 7:    # ping flood
            c.sendall(upgrade() + b"".join(frame(9, b"p" * rng.randrange(0, 125)) for _ in range(300)))
        elif kind == 8:    # bad close codes
            c.sendall(upgrade() + frame(8, struct.pack(">H", rng.choice([0, 999, 1004, 1005, 1006, 2999, 5000, 65535]))))
        elif kind == 9:    # a text message with a newline, binary data, invalid UTF-8
            c.sendall(upgrade() + frame(1, b'{"type":"ping"}\n{"type":"end"}') + frame(2, b"\xff\x00") + frame(1, b"\xc3\x28"))
        elif kind == 10:   # junk JSON through a valid socket, many at once
            c.sendall(upgrade() + b"".join(frame(1, bytes(rng.randrange(32, 127) for _ in range(rng.randrange(1, 200))))
                                           for _ in range(50)))
        else:              # pipelined requests with bad methods and paths
            c.sendall(b"".join(b"%s /%s HTTP/1.1\r\nHost: h\r\n\r\n" % (rng.choice([b"GET", b"PUT", b"BREW", b"HEAD"]),
                                                                        rng.choice([b"", b"..%2f..%2fetc", b"team.html", b"x" * 3000]))
                               for _ in range(20)))
        c.settimeout(0.2)
        try:
            while c.recv(65536):
                pass
        except Exception:
            pass
        c.close()
    except (ConnectionError, socket.timeout, OSError):
        pass


page = Page()
page.start()
t0 = time.time()
for i in range(ROUNDS):
    attack(i)
page.stop = True
page.join(10)
check(s.p.poll() is None, "the server is still up after %d hostile connections (%.1f s)" % (ROUNDS, time.time() - t0))
check(not hasattr(page, "error"), "the page's WebSocket stayed open: " + str(getattr(page, "error", "")))
check(page.answered >= 20 and page.answered >= page.sent - 1,
      "the page's pings were all answered (%d of %d)" % (page.answered, page.sent))
check(page.worst < 3.0, "no ping waited long (worst %.2f s)" % page.worst)
fac = s.client("facilitator")
st = fac.request({"type": "status"})
check(st["type"] == "status", "a TCP client is served at the end")
s.kill()
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
