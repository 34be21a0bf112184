"""report_check.py: renders detente's HTML reports in headless Chromium
(Debian's chromium, chromium-driver, python3-selenium) and checks them:
the HTML parses without an error (html5lib, strict), it fetches nothing and
runs no script, the screenshot is not blank, it prints to a PDF, and the number of <svg> charts
the browser sees equals the number the summary calls for (the rule in
docs/batch.md, computed here independently).
Usage: report_check.py SHOTS_DIR (REPORT.html SUMMARY.json | --run REPORT.html N)..."""
import base64
import json
import sys

import html5lib
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def expected_charts(summary):
    if summary.get("format") == "detente-sensitivity":
        # one tornado per outcome of the one-at-a-time analysis, one Sobol chart per outcome
        return sum(len(summary.get(a, {}).get("outcomes", {})) for a in ("oat", "sobol"))
    pts = summary["points_summary"]
    sweep = summary["sweep"]
    swept = len(sweep) == 1 and len(pts) > 1 and all(
        isinstance(next(iter(p["sweep"].values())), (int, float)) for p in pts)
    n = 0
    for o in summary["outcomes"]:
        name, kind = o["name"], o["kind"]
        have = [p["outcomes"][name] for p in pts if p["outcomes"][name]["n"] > 0]
        if kind == "boolean":
            n += 1 + swept
        elif kind == "number":
            n += len(have) + (1 if have else 0) + swept
        elif kind == "category":
            n += len(have)
    # a fan chart per series with a value on some date (mc --series)
    n += sum(1 for s in summary.get("series", []) if any(x > 0 for x in s["n"]))
    return n


def check_html(path):
    text = open(path, encoding="utf-8").read()
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(text)  # raises on the first parse error
    low = text.lower()
    for bad in ("<script", "http://", "https://", "<link", "@import", "url("):
        if bad in low.replace('xmlns="http://www.w3.org/2000/svg"', ""):
            raise AssertionError(f"{path}: holds '{bad}': a report fetches nothing and runs nothing")


def not_blank(png):
    im = Image.open(png).convert("L")
    lo, hi = im.getextrema()
    hist = im.histogram()
    inked = sum(hist[:200])  # pixels darker than near-white
    if hi - lo < 100 or inked < 2000:
        raise AssertionError(f"{png}: looks blank (range {lo}-{hi}, {inked} inked pixels)")


def printed(drv, html):
    """The page prints (Chromium's print to PDF): a PDF with at least one page."""
    from selenium.webdriver.common.print_page_options import PrintOptions
    pdf = base64.b64decode(drv.print_page(PrintOptions()))
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    if not pdf.startswith(b"%PDF") or pages < 1:
        raise AssertionError(f"{html}: printing gave no PDF page ({len(pdf)} bytes)")


def main():
    shots = sys.argv[1]
    args = sys.argv[2:]
    opts = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,2400"):
        opts.add_argument(a)
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    checked = 0
    try:
        while args:
            if args[0] == "--run":
                html, want = args[1], int(args[2])
                args = args[3:]
            else:
                html, want = args[0], expected_charts(json.load(open(args[1])))
                args = args[2:]
            check_html(html)
            drv.get("file://" + html)
            got = drv.execute_script("return document.querySelectorAll('svg').length")
            if got != want:
                raise AssertionError(f"{html}: the browser sees {got} charts, the summary calls for {want}")
            shot = f"{shots}/{html.rsplit('/', 1)[-1]}.png"
            drv.save_screenshot(shot)
            not_blank(shot)
            printed(drv, html)
            checked += 1
    finally:
        drv.quit()
    print(f"ok: {checked} reports render, validate and draw the charts their summaries call for")


if __name__ == "__main__":
    main()
