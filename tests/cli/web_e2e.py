"""web_e2e.py: a live session played through the browser pages, in a real
headless Chromium driven by Selenium: the white cell's dashboard and a team's
page, against `detente serve --http`. Screenshots of every page go to
$ARTIFACTS (build/test-artifacts/web by default) and are checked non-blank.

Run by tests/cli/web_e2e.sh with Debian's /usr/bin/python3, which has
python3-selenium; chromium and chromium-driver come from `make deps`."""
import json, os, re, subprocess, sys, tempfile, time

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(__file__))
import web_lib  # noqa: E402
from web_lib import (ART, DETENTE, browser, check, click, failures, free_port, login, quit_all,  # noqa: E402
                     script_errors, shot, text, wait)

SCEN = "tests/cli/data/web_game.lua"
tmp = tempfile.mkdtemp(prefix="web_e2e.")
journal = os.path.join(tmp, "game.journal")
HTTP_PORT = free_port()   # the same after the resume, so the pages find the server again


def Server(resume=False):
    args = ["--resume", journal] if resume else [SCEN, "--human", "USA", "--step", "--journal", journal]
    return web_lib.Server(args, HTTP_PORT)


def seat_row(d, seat):
    """The seats table's row of `seat` on the dashboard: [seat, held by, connected, button]
    (["", "", "", ""] before it is drawn, or while it is drawn again)."""
    from selenium.common.exceptions import StaleElementReferenceException
    try:
        for tr in d.find_elements(By.CSS_SELECTOR, "#seats tr"):
            cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            if cells and cells[0].split()[0] == seat:
                return cells
    except StaleElementReferenceException:
        pass
    return ["", "", "", ""]


def force_status(d):
    """The page asks for a status now (as its 5-second poll does) and has
    handled the answer when this returns."""
    d.execute_async_script("const done = arguments[arguments.length - 1];"
                           "session.send({type: 'status'}, () => setTimeout(() => done(true), 0));")


def timeline_seqs(d):
    return [li.get_attribute("data-seq") for li in d.find_elements(By.CSS_SELECTOR, "#timeline li")]


srv = Server()
base = srv.http
cell, team = browser(), browser()
try:
    # Signing in: the token leaves no trace in the address or the history.
    login(cell, base, srv.tokens["facilitator"])
    wait(cell, lambda: cell.current_url.endswith("/cell.html"), "the white cell lands on its dashboard")
    # The dashboard's seats table counts who is connected from the `people`
    # message, at once: its status handler is stubbed out while the team
    # signs in, so the 5-second status poll cannot be what shows it.
    wait(cell, lambda: seat_row(cell, "USA")[2] == "0", "the dashboard lists the seats, no one connected to USA yet")
    cell.execute_script("window.realStatus = session.h.status; session.h.status = () => {};")
    login(team, base, srv.tokens["USA"])
    wait(team, lambda: team.current_url.endswith("/team.html"), "the USA team lands on its page")
    check(srv.tokens["USA"] not in team.current_url, "no token in the team page's address")
    cookies = team.get_cookies()
    check(any(c["name"] == "dt_sid" and c.get("httpOnly") and c.get("sameSite") == "Strict" for c in cookies),
          "the session cookie is HttpOnly and SameSite=Strict")
    check(team.execute_script("return document.cookie") == "", "scripts cannot read the session cookie")
    wait(team, lambda: "connected" in team.find_element(By.ID, "conn").text, "the team page connects")
    wait(cell, lambda: "connected" in cell.find_element(By.ID, "conn").text, "the dashboard connects")
    wait(cell, lambda: seat_row(cell, "USA")[2] == "1", "the dashboard's seats table shows the team connected at once", timeout=10)
    cell.execute_script("session.h.status = window.realStatus;")
    # People and seats: the white cell hands RUS to a team and back to its policy.
    for want, button in (("team", "hand to team"), ("policy", "hand to policy")):
        click(cell, By.XPATH, f"//table[@id='seats']//tr[td[1][starts-with(., 'RUS')]]//button[text()='{button}']",
              f"the dashboard's '{button}' for RUS")
        wait(cell, lambda: seat_row(cell, "RUS")[1] == want, f"RUS is held by its {want} after '{button}'", timeout=10)
    # The Advance field is wide enough for its own example.
    check(cell.execute_script("const i = document.getElementById('advance-by'); i.value = i.placeholder;"
                              "const fits = i.scrollWidth <= i.clientWidth; i.value = ''; return fits;"),
          "the Advance field shows its whole placeholder (10d, 2w, 1 month)")

    # A team page cannot open the white cell's dashboard.
    team.get(base + "cell.html")
    check(team.current_url.endswith("/team.html"), "a team is sent back from the dashboard to its own page")
    wait(team, lambda: "connected" in team.find_element(By.ID, "conn").text, "the team page reconnects")

    # In step mode the clock moves only on advance: the dashboard offers no pace.
    check(not cell.find_element(By.ID, "pace-form").is_displayed(), "in step mode the dashboard offers no pace to set")
    check(not cell.find_element(By.ID, "resume").is_displayed() and cell.find_element(By.ID, "pause").is_displayed(),
          "nor Resume (the server would refuse it), but Pause, which stops an advance")

    # The white cell runs the clock to the team's decision; the lead answers it.
    cell.find_element(By.ID, "advance-decision").click()
    wait(team, lambda: team.find_elements(By.CSS_SELECTOR, "#decisions .decision"), "the team is asked its decision")
    wait(cell, lambda: cell.find_element(By.ID, "clock-result").text.startswith("advanced to the next decision: the clock stopped at 20"),
         "the dashboard says where the advance to the next decision stopped")
    card = team.find_element(By.CSS_SELECTOR, "#decisions .decision")
    check("Does Washington accept" in card.text, "the decision card shows the decision's question")
    check("simulated days left" in card.text, "the decision card counts down in simulated time")
    wait(cell, lambda: cell.find_elements(By.CSS_SELECTOR, "#decisions .decision"), "the white cell sees the pending decision")
    shot(team, "team_decision")
    card.find_element(By.XPATH, ".//button[text()='yes']").click()
    wait(team, lambda: "USA decides answer: yes" in text(team, "#timeline"), "the lead's answer reaches the timeline")
    wait(team, lambda: not team.find_elements(By.CSS_SELECTOR, "#decisions .decision"), "the answered decision leaves the page")

    # A move with a state picker and a duration.
    team.find_element(By.CSS_SELECTOR, "details[data-name='warn'] summary").click()
    form = team.find_element(By.CSS_SELECTOR, "details[data-name='warn'] form")
    sel = form.find_element(By.CSS_SELECTOR, "select[name='target']")
    check([o.get_attribute("value") for o in sel.find_elements(By.TAG_NAME, "option")] == ["USA", "RUS"],
          "the state picker offers the scenario's states")
    sel.find_element(By.CSS_SELECTOR, "option[value='RUS']").click()
    within = form.find_element(By.CSS_SELECTOR, "input[name='within']")
    within.send_keys("forever")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    check("duration" in form.find_element(By.CSS_SELECTOR, ".result").text, "a bad duration is refused in the form")
    within.clear()
    within.send_keys("6 months")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(team, lambda: "USA warns RUS" in text(team, "#timeline"), "the move with a state and a duration is made")
    wait(team, lambda: form.find_element(By.CSS_SELECTOR, ".result").text == "done", "the move form says it was done")
    shot(team, "team_move")

    # Text from people and from the scenario is shown as text, never as markup.
    evil = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=2">'
    cell.find_element(By.ID, "bc-text").send_keys(evil)
    cell.find_element(By.CSS_SELECTOR, "#broadcast button").click()
    wait(team, lambda: evil in team.find_element(By.ID, "banner").text, "a broadcast reaches the team's banner as text")
    # Seats ticked for a white-cell event stay ticked through the status poll
    # (a redrawn list would send a private event to everyone).
    box = cell.find_element(By.CSS_SELECTOR, "#wc-seats input[value='RUS']")
    box.click()
    force_status(cell)
    check(cell.find_element(By.CSS_SELECTOR, "#wc-seats input[value='RUS']").is_selected(),
          "a seat ticked for a white-cell event stays ticked after a status")
    cell.find_element(By.CSS_SELECTOR, "#wc-seats input[value='RUS']").click()
    cell.find_element(By.ID, "wc-text").send_keys("white cell: " + evil)
    cell.find_element(By.CSS_SELECTOR, "#wc-event button[type=submit]").click()
    wait(team, lambda: "white cell: " + evil in text(team, "#timeline"),
         "a white-cell event with no seat ticked reaches every team, as text")
    team.find_element(By.CSS_SELECTOR, "details[data-name='statement'] summary").click()
    st = team.find_element(By.CSS_SELECTOR, "details[data-name='statement'] form")
    st.find_element(By.CSS_SELECTOR, "textarea[name='text']").send_keys(evil)
    st.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(cell, lambda: evil in text(cell, "#timeline"), "a statement with markup reaches the dashboard as text")
    for d, who in ((team, "team page"), (cell, "dashboard")):
        check(d.execute_script("return window.pwned === undefined"), f"no injected script ran on the {who}")
        check(not d.find_elements(By.CSS_SELECTOR, "img[src='x']"), f"no injected element on the {who}")

    check(not team.find_elements(By.CSS_SELECTOR, "details[data-name='de_escalate']"),
          "a move whose precondition does not hold is not offered")
    # The white cell fires an inject and overrides a decision.
    cell.find_element(By.CSS_SELECTOR, "details[data-name='crisis'] summary").click()
    cell.find_element(By.CSS_SELECTOR, "details[data-name='crisis'] button[type=submit]").click()
    wait(team, lambda: "a crisis erupts" in text(team, "#timeline"), "the inject's event reaches the team")
    wait(team, lambda: team.find_elements(By.CSS_SELECTOR, "details[data-name='de_escalate']"),
         "a move whose precondition now holds is offered on the team page")
    cell.find_element(By.ID, "advance-decision").click()
    wait(cell, lambda: cell.find_elements(By.CSS_SELECTOR, "#decisions .decision"), "a second decision is pending")
    click(cell, By.XPATH, "//ul[@id='decisions']//button[text()='override: no']", "the white cell overrides")
    wait(team, lambda: "USA decides answer: no" in text(team, "#timeline"), "the white cell's override reaches the team")
    # The team's timeline: newest first, filtered by kind and by state.
    from selenium.webdriver.support.ui import Select
    seqs = [int(x) for x in timeline_seqs(team)]
    check(len(seqs) >= 5 and seqs == sorted(seqs, reverse=True), f"the team's timeline is newest first ({seqs[:6]}...)")
    kinds = [li.get_attribute("data-kind") for li in team.find_elements(By.CSS_SELECTOR, "#timeline li")]
    Select(team.find_element(By.ID, "filter-kind")).select_by_value("decision.made")
    shown = [li.get_attribute("data-kind") for li in team.find_elements(By.CSS_SELECTOR, "#timeline li")]
    check(shown == ["decision.made"] * kinds.count("decision.made") and len(shown) >= 2,
          f"the kind filter shows that kind only ({len(shown)} of {len(kinds)})")
    Select(team.find_element(By.ID, "filter-kind")).select_by_value("")
    Select(team.find_element(By.ID, "filter-state")).select_by_value("USA")
    by = [li.get_attribute("data-by") for li in team.find_elements(By.CSS_SELECTOR, "#timeline li")]
    check(by and set(by) == {"USA"} and len(by) < len(kinds), f"the state filter shows USA's events ({len(by)} of {len(kinds)})")
    Select(team.find_element(By.ID, "filter-state")).select_by_value("")
    check(len(timeline_seqs(team)) == len(kinds), "with no filter, every event again")

    # Advance by a calendar month, as the field's placeholder suggests.
    before_date = cell.find_element(By.ID, "clock").text.split()[0][:10]
    y, mo, dd = (int(x) for x in before_date.split("-"))
    month_on = "%04d-%02d-%02d" % (y + mo // 12, mo % 12 + 1, dd)
    adv = cell.find_element(By.ID, "advance-by")
    adv.send_keys("1 month")
    cell.find_element(By.CSS_SELECTOR, "#advance-form button[type=submit]").click()
    wait(team, lambda: team.find_element(By.ID, "clock").text == month_on + " (paused)",
         f"the team page's clock is a month on ({before_date} to {month_on}), paused")
    wait(cell, lambda: cell.find_element(By.ID, "clock-result").text == f"advanced by 1 month: the clock stopped at {month_on}",
         "the dashboard says where the advance by '1 month' stopped")
    wait(team, lambda: month_on in text(team, "#chart"), f"the team's chart runs on to the clock's date ({month_on})", timeout=10)
    adv.clear()
    # The charts: the team's deployed warheads against the treaty's limit, and
    # the dashboard's metrics per state.
    wait(team, lambda: team.find_elements(By.CSS_SELECTOR, "#chart svg"), "the team page draws its forces chart")
    check("Limits" in text(team, "#chart") and "USA" in text(team, "#chart"),
          f"the team's chart names the treaty limit and its state ({text(team, '#chart')[:80]!r})")
    wait(cell, lambda: cell.find_elements(By.CSS_SELECTOR, "#charts svg"), "the dashboard draws its live charts")
    check("USA" in text(cell, "#charts") and "RUS" in text(cell, "#charts") and "Limits" in text(cell, "#charts"),
          "the dashboard's chart has both states and the limit")
    shot(cell, "cell_after_override")
    shot(team, "team_after_override")

    # The server dies and comes back: the pages reconnect, nothing lost or doubled.
    before = timeline_seqs(team)
    srv.kill()
    wait(team, lambda: "connected" not in team.find_element(By.ID, "conn").text.replace("reconnecting", "x")
         or "reconnecting" in team.find_element(By.ID, "conn").text, "the team page notices the server is gone")
    srv = Server(resume=True)
    wait(team, lambda: "connected" == team.find_element(By.ID, "conn").text, "the team page is back after the resume")
    wait(team, lambda: len(timeline_seqs(team)) >= len(before), "the team's timeline is whole again")
    after = timeline_seqs(team)
    check(after == before, f"the same events after the resume, none lost or doubled ({len(after)} events)")
    check(len(set(after)) == len(after), "no event shown twice")

    # The dashboard's export makes the same report while the game goes on.
    cell.find_element(By.ID, "export").click()
    wait(cell, lambda: cell.find_element(By.ID, "report-link").is_displayed(), "the dashboard's report is ready")
    cell.get(base + "report.html")
    check("After-action report" in cell.find_element(By.TAG_NAME, "h1").text and
          "USA decides answer: yes" in cell.find_element(By.TAG_NAME, "body").text, "the dashboard's report opens")
    team.get(base + "report.html")
    check("403" in team.find_element(By.TAG_NAME, "body").text, "a team cannot open the report")
    team.get(base + "team.html")
    cell.get(base + "cell.html")
    wait(cell, lambda: "connected" == cell.find_element(By.ID, "conn").text, "the dashboard is back")
    wait(team, lambda: "connected" == team.find_element(By.ID, "conn").text, "the team page is back")

    # The game ends; every page says so.
    cell.find_element(By.ID, "end").click()
    cell.switch_to.alert.accept()
    wait(team, lambda: "ended" in team.find_element(By.ID, "banner").text, "the team page shows the end")
    shot(team, "team_end")
    shot(cell, "cell_end")
    # The after-action report tells the same session, offline.
    events_seen = len(cell.find_elements(By.CSS_SELECTOR, "#timeline li"))
    report = os.path.join(ART, "aar.html")
    r = subprocess.run([DETENTE, "replay", journal, "--report", report, "-q"], capture_output=True, text=True)
    check(r.returncode == 0, "replay --report writes the after-action report " + r.stderr[-300:])
    check(os.path.exists(report[:-5] + ".md"), "a Markdown version is written beside it")
    cell.get("file://" + os.path.abspath(report))
    rows = cell.find_elements(By.CSS_SELECTOR, "#timeline + table tr")
    check(len(rows) - 1 == events_seen, f"the report's merged timeline has the dashboard's {events_seen} events ({len(rows) - 1})")
    body = cell.find_element(By.TAG_NAME, "body").text
    check("USA decides answer: yes" in body and "overridden" in body and "crisis" in body,
          "the report shows the answer, the override and the inject")
    check("<script>window.pwned=1</script>" in body and not cell.find_elements(By.CSS_SELECTOR, "img[src='x']"), "the report shows markup as text")
    check(len(cell.find_elements(By.CSS_SELECTOR, "svg")) >= 1, "the report draws the metric charts")
    # Per seat: what each seat saw (folded); the private events of USA are in
    # USA's and not in RUS's. Decisions with who answered and how long it took.
    seats = {d.find_element(By.TAG_NAME, "summary").get_attribute("textContent").split(":")[0]:
             d.get_attribute("textContent") for d in cell.find_elements(By.CSS_SELECTOR, "details")}
    check(set(seats) == {"USA", "RUS"}, f"the report has a timeline per seat ({sorted(seats)})")
    check("USA private assessment" in seats.get("USA", "") and "USA private assessment" not in seats.get("RUS", ""),
          "a seat's timeline has its own private events and not the other's")
    row = next((tr.text for tr in cell.find_elements(By.CSS_SELECTOR, "h2#decisions + table tr")
                if "answered" in tr.text and "USA" in tr.text), "")
    check(re.search(r"\d+(\.\d+)? ?(s|min|h)\b", row) is not None, f"an answered decision says how long it took in real time: {row!r}")
    wc = text(cell, "h2#white-cell + table")
    check(re.search(r"by (28|29|30|31)d", wc) is not None, "the white-cell table says how far the month's advance went")
    shot(cell, "aar")

    # A paced session: the white cell changes the pace; the dashboard and the
    # team page show it, and a pace that does not read is refused in the panel.
    srv.kill()
    srv = web_lib.Server([SCEN, "--human", "USA", "--pace", "1d=2s", "--journal", os.path.join(tmp, "paced.journal")],
                         free_port())
    login(cell, srv.http, srv.tokens["facilitator"])
    login(team, srv.http, srv.tokens["USA"])
    wait(cell, lambda: "connected" == cell.find_element(By.ID, "conn").text, "the dashboard joins the paced session")
    wait(cell, lambda: cell.find_element(By.ID, "pace-now").text.startswith("now 1d=2s"),
         "the dashboard shows the current pace")
    check(cell.find_element(By.ID, "pace-form").is_displayed() and cell.find_element(By.ID, "resume").is_displayed(),
          "a paced session's dashboard offers the pace and Resume")
    pace = cell.find_element(By.ID, "pace-input")
    pace.send_keys("soon")
    cell.find_element(By.CSS_SELECTOR, "#pace-form button[type=submit]").click()
    wait(cell, lambda: "'pace' must be" in cell.find_element(By.ID, "clock-result").text and
         "error" in cell.find_element(By.ID, "clock-result").get_attribute("class"),
         "a pace that does not read is refused in the clock panel, saying what reads")
    pace.clear()
    pace.send_keys("1d=500ms")
    cell.find_element(By.CSS_SELECTOR, "#pace-form button[type=submit]").click()
    wait(cell, lambda: cell.find_element(By.ID, "clock-result").text == "pace set to 1d=500ms", "the dashboard sets the pace")
    wait(cell, lambda: cell.find_element(By.ID, "pace-now").text == "now 1d=500ms: 2 simulated days a second",
         "the dashboard shows the new pace")
    wait(team, lambda: "1d=500ms" in (team.find_element(By.ID, "clock").get_attribute("title") or ""),
         "the team page learns the new pace")
    shot(cell, "cell_pace")

    # Pause and resume reach the team page at once, by the `clock` message the
    # server sends every page when the clock's state changes: the team page asks
    # for no status after its welcome, so nothing else would tell it. Counting
    # the clock messages the page gets shows which did.
    wait(team, lambda: "connected" == team.find_element(By.ID, "conn").text, "the team page joins the paced session")
    team.execute_script("window.clocks = []; const d = session.dispatch.bind(session);"
                        "session.dispatch = (o) => { if (o.type === 'clock') window.clocks.push(o.paused); d(o); };")
    check(not team.find_element(By.ID, "clock").text.endswith("(paused)"), "the team page shows the clock running")
    check(re.fullmatch(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", team.find_element(By.ID, "clock").text) is not None,
          f"the clock pill reads as a date and time ({team.find_element(By.ID, 'clock').text!r})")
    for button, paused, word in (("pause", True, "paused"), ("resume", False, "running")):
        t0 = time.time()
        cell.find_element(By.ID, button).click()
        wait(team, lambda: team.find_element(By.ID, "clock").text.endswith("(paused)") == paused,
             f"the team page shows the clock {word} after the dashboard's {button.title()}", timeout=10)
        took = time.time() - t0
        check(team.execute_script("return window.clocks")[-1:] == [paused],
              f"a clock message (paused: {paused}) told the team page")
        check(took < 4, f"the team page showed it {took:.2f} s after the click, sooner than any 5-second poll")
        if paused:
            shot(team, "team_paused")
    # A decision's countdown in real time reads the pace the server sent
    # (1d=500ms: ten simulated days are about 5 s) and says so when paused.
    def countdown():
        return team.execute_script("return left(new Date((S.t + 10 * 86400) * 1000).toISOString().slice(0, 10));")
    m = re.search(r"simulated days left, about (\d+) s in real time", countdown())
    check(m is not None and 3 <= int(m.group(1)) <= 6, f"a running clock's countdown in real time: {countdown()!r}")
    cell.find_element(By.ID, "pause").click()
    wait(team, lambda: "clock paused" in countdown(), "a paused clock's countdown says so")
    logs = script_errors((team,), ("report.html - Failed to load resource: the server responded with a status of 403",))
    check(not logs, "no script errors in the pages" + (": " + json.dumps(logs)[:400] if logs else ""))
finally:
    quit_all((cell, team), srv)

print(f"{'FAIL' if failures else 'ok'}: {len(failures)} failed checks")
sys.exit(1 if failures else 0)
