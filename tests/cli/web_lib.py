"""web_lib.py: what the browser tests share: a `detente serve --http` server
started and killed, headless Chromium through Selenium, signing in with an
access code, waiting on a page, and screenshots checked non-blank.

Used by web_e2e.py and web_turns.py (run with Debian's /usr/bin/python3, which
has python3-selenium; chromium and chromium-driver come from `make deps`)."""
import csv, os, signal, socket, subprocess, time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DETENTE = os.environ.get("DETENTE", "build/detente")
ART = os.environ.get("ARTIFACTS", "build/test-artifacts/web")
os.makedirs(ART, exist_ok=True)
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`detente serve ARGS --http 127.0.0.1:PORT`; waits for `ready` and reads
    the tokens file it names (docs/protocol.md): tokens[seat] is the first
    person's of each seat, people[name] = (seat, role, token)."""

    def __init__(self, args, port, listen="127.0.0.1:0"):
        cmd = [DETENTE, "serve", "--listen", listen, "--http", f"127.0.0.1:{port}", "--no-console"] + args
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.tokens, self.people, self.http, self.tcp, tokfile = {}, {}, None, None, None
        deadline = time.time() + 20
        line = ""
        for line in self.p.stdout:
            if line.startswith("tokens "):
                tokfile = line.split(" ", 1)[1].strip()
            if line.startswith("http "):
                self.http = line.split()[1]
            if line.startswith("listening "):
                self.tcp = line.split()[1]
            if line.startswith("ready") or time.time() > deadline:
                break
        if not self.http or not tokfile:
            raise SystemExit("the server did not start: " + line)
        with open(tokfile, newline="") as f:
            for p in csv.DictReader(f):
                self.tokens.setdefault(p["seat"], p["token"])
                self.people[p["name"]] = (p["seat"], p["role"], p["token"])

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()


def browser():
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1600",
              "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=o, service=Service("/usr/bin/chromedriver"))


def wait(d, cond, what, timeout=40):
    try:
        WebDriverWait(d, timeout, poll_frequency=0.1).until(lambda _: cond())
        return True
    except TimeoutException:
        check(False, what + " (timed out)")
        return False


def click(d, by, sel, what, timeout=40):
    """Clicks what `sel` finds, looking it up again if the page drew it anew
    between the lookup and the click (lists are redrawn as messages come)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            d.find_element(by, sel).click()
            return True
        except StaleElementReferenceException:
            time.sleep(0.1)
    return check(False, what + " (the element kept changing)")


def login(d, base, token):
    d.get(base)
    d.find_element(By.ID, "token").send_keys(token)
    d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def text(d, css):
    return "\n".join(e.text for e in d.find_elements(By.CSS_SELECTOR, css))


def shot(d, name):
    """Saves a screenshot to $ARTIFACTS and checks it is not blank: a page with
    content has many distinct colours, a blank or error page one or two."""
    path = os.path.join(ART, name + ".png")
    d.save_screenshot(path)
    from PIL import Image
    im = Image.open(path).convert("RGB").resize((200, 200))
    colours = len(set(im.getdata()))
    check(colours > 20, f"screenshot {name}.png is not blank ({colours} colours)")


def script_errors(drivers, allowed=()):
    """SEVERE console entries of the pages, but for lost sockets (a killed
    server) and the messages named in `allowed`."""
    return [e for d in drivers for e in d.get_log("browser")
            if e["level"] == "SEVERE" and "favicon" not in e["message"] and "ws" not in e["message"]
            and not any(a in e["message"] for a in allowed)]


def quit_all(drivers, server):
    for d in drivers:
        try:
            d.quit()
        except Exception:
            pass
    try:
        server.kill()
    except Exception:
        pass
