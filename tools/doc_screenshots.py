"""doc_screenshots.py: the pictures in docs/facilitator.md, taken from a real
session of the flagship in headless Chromium (python3-selenium, chromium,
chromium-driver). Run from the repository: /usr/bin/python3 tools/doc_screenshots.py"""
import csv, os, re, subprocess, sys, tempfile, time
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

OUT = "docs/img"
tmp = tempfile.mkdtemp(prefix="docshots.")
journal = os.path.join(tmp, "game.journal")
# A paced game that stops for the teams' decisions (the dashboard shows its pace).
p = subprocess.Popen(["build/detente", "serve", "scripts/new_start_2026.lua", "--human", "USA,RUS",
                      "--pace", "1d=10s", "--hold-on-decision",
                      "--journal", journal, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--no-console"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
tokens, base = {}, None
for line in p.stdout:
    if line.startswith("tokens "):   # the tokens file: seat,role,name,token
        with open(line.split(" ", 1)[1].strip(), newline="") as f:
            tokens = {p["seat"]: p["token"] for p in csv.DictReader(f)}
    if line.startswith("http "):
        base = line.split()[1]
    if line.startswith("ready"):
        break


def browser(h=1500):
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size=1280,{h}",
              "--disable-gpu", "--no-first-run", "--disable-background-networking"):
        o.add_argument(a)
    return webdriver.Chrome(options=o, service=Service("/usr/bin/chromedriver"))


def until(d, f):
    WebDriverWait(d, 40, poll_frequency=0.2).until(lambda _: f())


cell, usa = browser(1700), browser(1300)
try:
    cell.get(base)
    cell.save_screenshot(f"{OUT}/login.png")
    cell.find_element(By.ID, "token").send_keys(tokens["facilitator"])
    cell.find_element(By.CSS_SELECTOR, "form button").click()
    usa.get(base)
    usa.find_element(By.ID, "token").send_keys(tokens["USA"])
    usa.find_element(By.CSS_SELECTOR, "form button").click()
    until(cell, lambda: cell.find_element(By.ID, "conn").text == "connected")
    until(usa, lambda: usa.find_element(By.ID, "conn").text == "connected")
    cell.find_element(By.ID, "advance-decision").click()
    until(usa, lambda: usa.find_elements(By.CSS_SELECTOR, "#decisions .decision"))
    time.sleep(1)
    usa.find_element(By.CSS_SELECTOR, "#moves details summary").click()
    usa.save_screenshot(f"{OUT}/team.png")
    cell.save_screenshot(f"{OUT}/dashboard.png")
    usa.find_element(By.XPATH, "//ul[@id='decisions']//button[text()='accept']").click()
    until(usa, lambda: not usa.find_elements(By.CSS_SELECTOR, "#decisions .decision"))
    cell.find_element(By.ID, "advance-by").send_keys("120d")
    cell.find_element(By.CSS_SELECTOR, "#advance-form button[type=submit]").click()
    time.sleep(4)
    cell.find_element(By.ID, "end").click()
    cell.switch_to.alert.accept()
    time.sleep(1)
finally:
    cell.quit(); usa.quit(); p.kill()
subprocess.run(["build/detente", "replay", journal, "--report", os.path.join(tmp, "aar.html"), "-q"], check=True)
r = browser(1600)
r.get("file://" + os.path.join(tmp, "aar.html"))
r.save_screenshot(f"{OUT}/report.png")
r.quit()

# A game in turns with people in roles: a member's channels and the Turn panel.
sys.path.insert(0, "tests/cli")
import web_lib  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402
people = os.path.join(tmp, "people.csv")
with open(people, "w") as f:
    f.write("name,seat,role\nAnn,USA,lead\nBen,USA,member\nRita,RUS,lead\nUma,facilitator,umpire\n")
srv = web_lib.Server(["scripts/new_start_2026.lua", "--human", "USA,RUS", "--turns", "1mo", "--people", people,
                      "--journal", os.path.join(tmp, "turns.journal")], web_lib.free_port())
lead, member, cell = browser(1300), browser(1100), browser(1300)
try:
    for d, who in ((cell, "Uma"), (lead, "Ann"), (member, "Ben")):
        web_lib.login(d, srv.http, srv.people[who][2])
        until(d, lambda d=d: d.find_element(By.ID, "conn").text == "connected")
    for b in member.find_elements(By.CSS_SELECTOR, "#channel-tabs button"):
        if "white cell" in b.text:
            b.click()
            break
    Select(member.find_element(By.ID, "post-form-kind")).select_by_value("rfi")
    member.find_element(By.CSS_SELECTOR, "#post-fields textarea").send_keys(
        "Did Russia's September 2025 statement cover the warhead limit as well as launchers?")
    member.find_element(By.CSS_SELECTOR, "#post-form button[type=submit]").click()
    until(member, lambda: "warhead limit" in member.find_element(By.ID, "channel-log").text)
    for words in ("We will match any new deployment", "We reject the offer outright"):
        box = "details[data-name='public_statement']"
        if not lead.find_element(By.CSS_SELECTOR, box).get_attribute("open"):
            lead.find_element(By.CSS_SELECTOR, box + " summary").click()
        form = lead.find_element(By.CSS_SELECTOR, box + " form")
        form.find_element(By.CSS_SELECTOR, "textarea[name='text']").clear()
        form.find_element(By.CSS_SELECTOR, "textarea[name='text']").send_keys(words)
        Select(form.find_element(By.CSS_SELECTOR, "select[name='to']")).select_by_value("RUS")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        until(lead, lambda: "submitted" in form.find_element(By.CSS_SELECTOR, ".result").text)
    member.save_screenshot(f"{OUT}/channels.png")
    until(cell, lambda: len(cell.find_elements(By.CSS_SELECTOR, "#turn-moves tr[data-input]")) == 2)
    cell.find_element(By.ID, "adjudicate").click()
    until(cell, lambda: "adjudication" in cell.find_element(By.ID, "phase").text)

    def row(needle, css):
        r = next(r for r in cell.find_elements(By.CSS_SELECTOR, "#turn-moves tr[data-input]") if needle in r.text)
        return r.find_element(By.CSS_SELECTOR, css)
    row("reject", "input[name='reason']").send_keys("not before the summit")
    row("reject", "button.refuse").click()
    until(cell, lambda: "refused" in row("reject", "td.status").text)
    row("match", "input[name='reason']").send_keys("keep it measured")
    row("match", "button.amend").click()
    Select(row("match", ".amend-box select[name='tone']")).select_by_value("neutral")
    cell.execute_script("window.scrollTo(0, 0)")
    cell.save_screenshot(f"{OUT}/turns.png")
finally:
    for d in (lead, member, cell):
        d.quit()
    srv.kill()
print("screenshots in", OUT)
