"""web_turns.py: a game in turns with people in roles, through the browser
pages (headless Chromium driven by Selenium; docs/facilitator.md). The
flagship with two human teams: USA's lead and a member each on a team page,
the umpire on the dashboard, RUS's lead over the line protocol.

- the member sees the team's page but cannot answer or move; posts in the
  team's channel, and a request for information to the white cell in the
  scenario's structured form;
- the lead submits two moves in planning (held, not applied);
- the umpire closes planning, amends one move through its form, refuses the
  other with a reason, and releases the turn; the clock runs to the turn's
  end and the next turn's planning begins;
- the team page shows what became of each move, with the umpire's reasons;
- markup in a message stays text; the pages log no script error.
Screenshots go to $ARTIFACTS and are checked non-blank."""
import json, os, socket, subprocess, sys, tempfile, time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(__file__))
from web_lib import (ART, DETENTE, Server, browser, check, failures, free_port, login, quit_all, script_errors,  # noqa: E402
                     shot, text, wait)

tmp = tempfile.mkdtemp(prefix="web_turns.")
people = os.path.join(tmp, "people.csv")
with open(people, "w") as f:
    f.write("name,seat,role\nAnn,USA,lead\nBen,USA,member\nRita,RUS,lead\nUma,facilitator,umpire\n")
srv = Server(["scripts/new_start_2026.lua", "--human", "USA,RUS", "--turns", "1mo", "--people", people,
              "--journal", os.path.join(tmp, "game.journal")], free_port())
base = srv.http
EVIL = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=2">'


class Line:
    """RUS's lead on the line protocol (docs/protocol.md)."""

    def __init__(self, addr, seat, token):
        host, port = addr.rsplit(":", 1)
        self.s = socket.create_connection((host, int(port)), timeout=20)
        self.f = self.s.makefile("r")
        self.send({"type": "hello", "v": 1, "seat": seat, "token": token})

    def send(self, o):
        self.s.sendall((json.dumps(o) + "\n").encode())

    def until(self, pred):
        for line in self.f:
            o = json.loads(line)
            if pred(o):
                return o
        return None


def tab(d, pred):
    """Clicks the first channel tab whose label satisfies pred (the tabs are
    drawn again on every click, so they are looked up each time)."""
    for b in d.find_elements(By.CSS_SELECTOR, "#channel-tabs button"):
        if pred(b.text):
            b.click()
            return True
    return False


lead = member = cell = None
try:
    lead, member, cell = browser(), browser(), browser()
    login(cell, base, srv.people["Uma"][2])
    login(lead, base, srv.people["Ann"][2])
    login(member, base, srv.people["Ben"][2])
    for d, who in ((cell, "dashboard"), (lead, "lead's page"), (member, "member's page")):
        wait(d, lambda d=d: d.find_element(By.ID, "conn").text == "connected", f"the {who} connects")
    check(cell.current_url.endswith("/cell.html") and lead.current_url.endswith("/team.html"),
          "the umpire gets the dashboard, the lead the team page")
    wait(cell, lambda: "turn 1: planning" in cell.find_element(By.ID, "phase").text, "the dashboard shows turn 1, planning")
    wait(lead, lambda: "turn 1: planning" in lead.find_element(By.ID, "phase").text, "the team page shows the phase")

    # Who is connected, in which seat and role.
    wait(cell, lambda: "Ben" in text(cell, "#people") and "member" in text(cell, "#people"),
         "the dashboard lists the people with their seat and role")

    # A member sees the team's page but neither moves nor answers.
    wait(member, lambda: "lead makes the moves" in member.find_element(By.ID, "moves-hint").text,
         "a member is told the lead makes the moves")
    check(not member.find_elements(By.CSS_SELECTOR, "#moves form"), "a member's page has no move form")
    # Nor can a member's page get a lead's or the white cell's rights by
    # sending the messages itself over its socket: the server refuses them.
    def sent_by_member(msg):
        return member.execute_async_script(
            "const done = arguments[arguments.length - 1]; session.send(arguments[0], done);", msg)
    a = sent_by_member({"type": "move", "move": "public_statement", "args": {"text": "member speaking"}})
    check(a.get("type") == "error" and a.get("code") == "not_lead", f"a member's move is refused ({a})")
    a = sent_by_member({"type": "release"})
    check(a.get("type") == "error", f"a member cannot release the turn ({a})")
    a = sent_by_member({"type": "post", "channel": "team.RUS", "text": "peeking"})
    check(a.get("type") == "error", f"a member cannot post in another team's channel ({a})")

    # The member talks in the team's channel; the lead reads it.
    wait(member, lambda: member.find_elements(By.CSS_SELECTOR, "#channel-tabs button"), "the member has channels")
    tabs = {b.text: b for b in member.find_elements(By.CSS_SELECTOR, "#channel-tabs button")}
    check(any("team" in t for t in tabs) and any("white cell" in t for t in tabs) and any("RUS" in t for t in tabs),
          f"a team has its own channel, one with the white cell and one with the other team ({list(tabs)})")
    tab(member, lambda t: "team" in t)
    member.find_element(By.ID, "post-text").send_keys("Ben: " + EVIL)
    member.find_element(By.CSS_SELECTOR, "#post-form button[type=submit]").click()
    wait(lead, lambda: tab(lead, lambda t: "team" in t), "the lead opens the team's channel")
    wait(lead, lambda: "Ben: " + EVIL in text(lead, "#channel-log"), "the lead reads the member's message, as text")

    # A request for information to the white cell, in the scenario's form.
    tab(member, lambda t: "white cell" in t)
    kinds = Select(member.find_element(By.ID, "post-form-kind"))
    rfi = next(o.text for o in kinds.options if "information" in o.text.lower() or o.get_attribute("value") == "rfi")
    kinds.select_by_visible_text(rfi)
    fields = member.find_elements(By.CSS_SELECTOR, "#post-fields textarea, #post-fields input, #post-fields select")
    check(len(fields) >= 1, f"the request-for-information form has its fields ({len(fields)})")
    for f in fields:
        if f.tag_name == "textarea" or f.get_attribute("type") == "text":
            f.send_keys("How many warheads did Russia declare in September?")
    member.find_element(By.ID, "post-text").send_keys("RFI from Ben")
    member.find_element(By.CSS_SELECTOR, "#post-form button[type=submit]").click()
    wait(member, lambda: "RFI from Ben" in text(member, "#channel-log"), "the member's request is posted")
    wait(cell, lambda: cell.find_elements(By.CSS_SELECTOR, "#channel-tabs button"), "the white cell has channels")
    check(tab(cell, lambda t: "white cell" in t and "USA" in t), "the white cell opens USA's channel to it")
    wait(cell, lambda: "RFI from Ben" in text(cell, "#channel-log") and "warheads" in text(cell, "#channel-log"),
         "the white cell reads the request with its fields")
    shot(member, "member_channels")

    # The lead submits two statements for the turn: held, not applied.
    def statement(words):
        box = "details[data-name='public_statement']"
        if not lead.find_element(By.CSS_SELECTOR, box).get_attribute("open"):
            lead.find_element(By.CSS_SELECTOR, box + " summary").click()
        form = lead.find_element(By.CSS_SELECTOR, box + " form")
        t = form.find_element(By.CSS_SELECTOR, "textarea[name='text']")
        t.clear()
        t.send_keys(words)
        Select(form.find_element(By.CSS_SELECTOR, "select[name='to']")).select_by_value("RUS")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(lead, lambda: "submitted for this turn" in text(lead, box + " form .result"),
             f"the move '{words}' is submitted for the turn, and the form says so")
    wait(lead, lambda: lead.find_elements(By.CSS_SELECTOR, "details[data-name='public_statement']"),
         "the lead has the statement form")
    statement("We will match any new deployment")
    statement("We reject the offer outright")
    wait(lead, lambda: len(lead.find_elements(By.CSS_SELECTOR, "#submitted li.status-held")) == 2,
         "the team page lists both moves as held")
    check("We reject" not in text(lead, "#timeline .text"), "a held move is not on the public timeline yet")

    rus = Line(srv.tcp, "RUS", srv.people["Rita"][2])
    rus.until(lambda o: o["type"] == "welcome")
    rus.send({"type": "move", "id": "r1", "move": "public_statement",
              "args": {"text": "Russia notes the US position", "to": "USA", "tone": "neutral"}})
    ack = rus.until(lambda o: o.get("id") == "r1")
    check(ack.get("held") is True, f"the other team's move over the line protocol is held too ({ack})")

    # The umpire closes planning, amends one, refuses the other, releases.
    # The dashboard draws the turn's table again on every turn message, so
    # rows are looked up afresh each time.
    def rows():
        return cell.execute_script(
            "return [...document.querySelectorAll('#turn-moves tr[data-input]')].map(r => r.textContent)")

    def in_row(needle, css, act):
        """Finds the element `css` in the row that shows `needle` and acts on
        it, again if the row was drawn anew in between."""
        for _ in range(50):
            try:
                r = next(r for r in cell.find_elements(By.CSS_SELECTOR, "#turn-moves tr[data-input]") if needle in r.text)
                return act(r.find_element(By.CSS_SELECTOR, css))
            except (StaleElementReferenceException, StopIteration):
                time.sleep(0.1)
        raise SystemExit(f"no row with {needle!r} and {css!r}")

    def row(needle):
        return next((r for r in rows() if needle in r), "")

    wait(cell, lambda: len(rows()) == 3, "the dashboard lists the turn's three moves")
    shot(cell, "cell_turn_planning")
    cell.find_element(By.ID, "adjudicate").click()
    wait(cell, lambda: "adjudication" in cell.find_element(By.ID, "phase").text, "planning is closed")
    wait(lead, lambda: "reviewing" in lead.find_element(By.ID, "moves-hint").text,
         "the team page says the white cell is reviewing")
    in_row("match any", "input[name='reason']", lambda e: e.send_keys("keep it measured"))
    in_row("match any", "button.amend", lambda e: e.click())
    in_row("match any", ".amend-box select[name='tone']", lambda e: Select(e).select_by_value("neutral"))
    in_row("match any", ".amend-box button[type=submit]", lambda e: e.click())
    wait(cell, lambda: "amended" in row("match any"), "the umpire amends a move through its form")
    in_row("reject the offer", "input[name='reason']", lambda e: e.send_keys("not in this turn: " + EVIL))
    in_row("reject the offer", "button.refuse", lambda e: e.click())
    wait(cell, lambda: "refused" in row("reject the offer"), "the umpire refuses a move")
    check("keep it measured" in row("match any") and "tone=neutral" in row("match any"),
          f"the amended move shows its new arguments and the reason ({row('match any')})")
    shot(cell, "cell_turn_review")
    cell.find_element(By.ID, "release").click()
    wait(cell, lambda: "turn 2: planning" in cell.find_element(By.ID, "phase").text,
         "after the release the clock runs to the turn's end and turn 2's planning begins")
    check("turn released" in cell.find_element(By.ID, "turn-result").text, "the dashboard says the turn was released")

    # The team sees what became of its moves, with the reasons.
    wait(lead, lambda: "turn 2: planning" in lead.find_element(By.ID, "phase").text, "the team page is in turn 2")
    wait(lead, lambda: "We will match any new deployment" in text(lead, "#timeline") or
         "match any" in text(lead, "#timeline"), "the released move is on the team's timeline")
    tl = text(lead, "#timeline")
    check("keep it measured" in tl, "the team's timeline says the move was amended and why")
    check("not in this turn: " + EVIL in tl, "the team's timeline says the move was refused and why, as text")
    ev = rus.until(lambda o: o.get("type") == "event" and "Russia notes" in (o.get("text") or ""))
    check(ev is not None, "the other team's released move is applied")
    shot(lead, "team_turn_result")
    shot(cell, "cell_turn_released")

    # The white cell fires an inject through its argument form: a state
    # picker, text and a choice, as the scenario declares them.
    cell.find_element(By.CSS_SELECTOR, "#injects details[data-name='sanctions_round'] summary").click()
    inj = cell.find_element(By.CSS_SELECTOR, "#injects details[data-name='sanctions_round'] form")
    Select(inj.find_element(By.CSS_SELECTOR, "select[name='by']")).select_by_value("RUS")
    tg = inj.find_element(By.CSS_SELECTOR, "textarea[name='targets']")
    tg.clear()
    tg.send_keys("US banks")
    Select(inj.find_element(By.CSS_SELECTOR, "select[name='severity']")).select_by_value("broad")
    inj.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(lead, lambda: "RUS sanctions US banks (broad)" in text(lead, "#timeline"),
         "the inject's arguments from its form reach the team's timeline")

    # The move forms' pickers offer what the seat may pick now: RUS's offer,
    # made after the page loaded (its references came with a world message),
    # the treaty, and USA's own systems (listed with the argument).
    def options(move, arg):
        return [o.get_attribute("value") for o in
                lead.find_elements(By.CSS_SELECTOR, f"details[data-name='{move}'] select[name='{arg}'] option")]
    wait(lead, lambda: "P1" in options("answer_offer", "proposal"),
         "the answer form's proposal picker offers RUS's pending offer P1")
    check("new_start" in options("pledge", "treaty"), "the pledge form's treaty picker offers New START")
    own = lead.execute_script("return S.refs.systems.USA")
    check(own and options("upload", "system") == own,
          f"the upload form's system picker offers USA's own systems ({options('upload', 'system')})")

    # The after-action report tells the turn: messages by channel, the
    # amended and the refused move with the umpire's reasons.
    report = os.path.join(ART, "aar_turns.html")
    r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "game.journal"), "--report", report, "-q"],
                       capture_output=True, text=True)
    check(r.returncode == 0, "replay --report writes the turn game's report " + r.stderr[-300:])
    member.get("file://" + os.path.abspath(report))
    body = member.find_element(By.TAG_NAME, "body").text
    check("RFI from Ben" in body and "How many warheads" in body, "the report has the request for information")
    check("keep it measured" in body and "not in this turn: " + EVIL in body,
          "the report has the amended and the refused move with the reasons, as text")
    check("applied as amended by the umpire: keep it measured" in body and "refused by the umpire: not in this turn" in body,
          "the report says what became of each held move")
    check(not member.find_elements(By.CSS_SELECTOR, "img[src='x']"), "no injected element in the report")
    shot(member, "aar_turns")
    member.back()

    for d, who in ((lead, "lead's page"), (member, "member's page"), (cell, "dashboard")):
        check(d.execute_script("return window.pwned === undefined"), f"no injected script ran on the {who}")
        check(not d.find_elements(By.CSS_SELECTOR, "img[src='x']"), f"no injected element on the {who}")
    errs = script_errors((lead, member, cell))
    check(not errs, "no script errors in the pages" + (": " + json.dumps(errs)[:400] if errs else ""))
finally:
    quit_all([d for d in (lead, member, cell) if d], srv)

print(f"{'FAIL' if failures else 'ok'}: {len(failures)} failed checks")
sys.exit(1 if failures else 0)
