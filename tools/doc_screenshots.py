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
p = subprocess.Popen(["build/detente", "serve", "scripts/new_start_2026.lua", "--human", "USA,RUS", "--step",
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
print("screenshots in", OUT)
