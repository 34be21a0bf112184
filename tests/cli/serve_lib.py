"""serve_lib.py: helpers for the serve tests: start `detente serve` on
127.0.0.1 with port 0 (the chosen port is read from its output), JSON Lines
clients with timeouts, and a server that is always killed at the end."""
import csv, itertools, json, os, select, signal, socket, subprocess, sys, tempfile, time

_ids = itertools.count(1)

DETENTE = os.environ.get("DETENTE", "build/detente")

# Messages the servers send are kept for tests/lib/json_check.py, which
# run_all.sh runs at the end against docs/schema/session-server.schema.json:
# the first 2000 of each test process, then every message of a type, kind or
# code not seen yet and one in 25 of the rest (a flood test gets half a
# million events of one shape).
_SEEN = os.environ.get("DETENTE_JSON_SEEN")
_seen_file = None
_seen_n = 0
_seen_keys = set()


def record(line, m):
    global _seen_file, _seen_n
    if not _SEEN:
        return
    _seen_n += 1
    key = (m.get("type"), m.get("kind"), m.get("code")) if isinstance(m, dict) else None
    if _seen_n > 2000 and key in _seen_keys and _seen_n % 25:
        return
    _seen_keys.add(key)
    if _seen_file is None:
        _seen_file = open(os.path.join(_SEEN, "session-%d.jsonl" % os.getpid()), "ab")
    _seen_file.write(line + b"\n")
    _seen_file.flush()
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


class Lines:
    """The lines a subprocess writes to a pipe, read with timeouts."""
    def __init__(self, f):
        self.fd = f.fileno()
        self.buf = b""
        self.lines = []   # every line read, in order
        self.eof = False

    def next(self, timeout=10):
        """The next line (without its newline), or None at timeout or end."""
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            if self.eof or left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                return None
            d = os.read(self.fd, 65536)
            if not d:
                self.eof = True
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        self.lines.append(line.decode())
        return self.lines[-1]

    def wait_for(self, pred, timeout=10, what="a line"):
        """The next line for which pred holds; fails after timeout."""
        end = time.time() + timeout
        while True:
            line = self.next(max(0, end - time.time()))
            if line is None:
                raise AssertionError("timed out waiting for %s; last lines:\n  %s" % (what, "\n  ".join(self.lines[-8:])))
            if pred(line):
                return line

    def until_quiet(self, quiet=0.3):
        """Reads until nothing comes for `quiet` seconds; returns what came."""
        got = []
        while True:
            line = self.next(quiet)
            if line is None:
                return got
            got.append(line)


def read_tokens(path):
    """[{seat, role, name, token}] from a tokens file."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class Server:
    def __init__(self, args, cwd, resume=None, expect_ready=True, console=False):
        self.cwd = cwd
        cmd = [DETENTE, "serve"] + (["--resume", resume] if resume else []) + args
        cmd += ["--listen", "127.0.0.1:0"] + ([] if console else ["--no-console"])
        self.err = open(os.path.join(cwd, "server.err"), "ab")
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE if console else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=self.err, cwd=cwd)
        self.out = Lines(self.p.stdout)
        self.tokens, self.port, self.http = {}, None, None
        self.people, self.tokens_file = [], None
        if not expect_ready:
            return
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.out.next(max(0, deadline - time.time()))
            if line is None:
                raise RuntimeError("server exited or is silent: " + self.stderr())
            w = line.split()
            if w[0] == "listening":
                self.port = int(w[1].rsplit(":", 1)[1])
            elif w[0] == "http":
                self.http = w[1]
            elif w[0] == "tokens":
                self.tokens_file = os.path.join(cwd, line.split(" ", 1)[1])
            elif w[0] == "ready":
                self.read_tokens()
                return
        raise RuntimeError("server not ready")

    def read_tokens(self):
        """The tokens file (docs/protocol.md): people, and per seat the token
        of its first lead (of the white cell's first umpire)."""
        self.people, self.tokens = read_tokens(self.tokens_file), {}
        for p in self.people:
            if p["role"] in ("lead", "umpire") and p["seat"] not in self.tokens:
                self.tokens[p["seat"]] = p["token"]

    def person(self, name):
        return next(p for p in self.people if p["name"] == name)

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(os.path.join(self.cwd, "server.err")) as f:
            return f.read()

    def console(self, line):
        """Types a line on the facilitator console (the server's stdin)."""
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()

    def client(self, seat=None, last_seq=0, token=None):
        c = Client(self.port)
        if seat:
            c.hello(seat, token or self.tokens[seat], last_seq)
        return c

    def kill(self, sig=signal.SIGKILL):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.p.stdout.close()
        if self.p.stdin:
            self.p.stdin.close()
        self.err.close()

    def wait(self, timeout=20):
        return self.p.wait(timeout)


class Client:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.msgs = []   # everything received, in order
        self.last_seq = 0
        # Request ids are idempotency keys of the seat (docs/protocol.md): a
        # new connection must not reuse the ids an earlier one used.
        self.n = next(_ids) * 1000000

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, obj):
        self.s.sendall((json.dumps(obj) + "\n").encode())

    def request(self, obj, timeout=10):
        """Sends obj with a fresh id; returns the ack or error answering it."""
        self.n += 1
        obj = dict(obj, id=self.n)
        self.send(obj)
        return self.wait_for(lambda m: m.get("id") == self.n and m["type"] in ("ack", "error", "status", "pong", "welcome"), timeout)

    def recv(self, timeout=10):
        """The next message, or None at timeout or end of stream."""
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return None
            except ConnectionResetError:
                return None
            if not d:
                return None
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        m = json.loads(line)
        self.msgs.append(m)
        record(line, m)
        if m.get("type") == "event":
            self.last_seq = max(self.last_seq, m["seq"])
        return m

    def wait_for(self, pred, timeout=10):
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0:
                raise AssertionError("timed out waiting; last messages: %r" % self.msgs[-5:])
            m = self.recv(left)
            if m is None:
                raise AssertionError("connection closed or timed out; last messages: %r" % self.msgs[-5:])
            if pred(m):
                return m

    def expect(self, pred, timeout=10):
        """Like wait_for, but a message already received also counts."""
        for m in self.msgs:
            if pred(m):
                return m
        return self.wait_for(pred, timeout)

    def drain(self, quiet=0.3):
        while self.recv(quiet) is not None:
            pass

    def closed(self, timeout=5):
        """True once the server closes the connection."""
        end = time.time() + timeout
        while time.time() < end:
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return False
            except (ConnectionResetError, BrokenPipeError):
                return True
            if not d:
                return True
            self.buf += d
        return False

    def hello(self, seat, token, last_seq=0):
        self.send({"type": "hello", "v": 1, "seat": seat, "token": token, "last_seq": last_seq})
        return self.wait_for(lambda m: m["type"] in ("welcome", "error"))

    def events(self):
        return [m for m in self.msgs if m.get("type") == "event"]

    def close(self):
        self.s.close()


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def run_tests(names):
    """The test file's main: runs its t_NAME functions (those named on the
    command line, or all), each in a fresh temporary folder, and on a failure
    shows the end of the server's stderr (server.err) before raising."""
    tests = {n[2:]: fn for n, fn in list(names.items()) if n.startswith("t_")}
    for n in sys.argv[1:] or list(tests):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.time()
            try:
                tests[n](tmp)
            except Exception:
                err = os.path.join(tmp, "server.err")
                if os.path.exists(err):
                    sys.stderr.write("--- server stderr ---\n" + open(err).read()[-3000:])
                raise
            print("ok %s (%.1fs)" % (n, time.time() - t0))
