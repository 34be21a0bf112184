"""serve_channels.py: channels through the TCP protocol: who is in which
channel, posts reaching their members only (a non-member can neither read nor
post), structured forms checked like move arguments, size limits and bad
input, catch-up on reconnect without duplicates (last_input), retries applied
once, and the same messages with the same members after a kill -9 and a
resume, and in `replay --export`. Run: python3 serve_channels.py [NAME]"""
import csv, json, os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, DATA, DETENTE, check, run_tests

SCEN = os.path.join(DATA, "serve_channels.lua")
PEOPLE = "name,seat,role\nAlice,USA,lead\nBob,USA,member\nCarol,RUS,lead\nChen,CHN,lead\nUma,facilitator,umpire\nRita,facilitator,rfi\n"


def join(S, name, last_input=0):
    p = S.person(name)
    c = S.client()
    c.send({"type": "hello", "v": 1, "seat": p["seat"], "token": p["token"], "last_input": last_input})
    w = c.wait_for(lambda m: m["type"] in ("welcome", "error"))
    check(w["type"] == "welcome", "%s joins: %r" % (name, w))
    return c, w


def msgs(c, quiet=0.3):
    c.drain(quiet)
    return [m for m in c.msgs if m["type"] == "message" and "channel" in m]


def t_channels(tmp):
    with open(os.path.join(tmp, "people.csv"), "w") as f:
        f.write(PEOPLE)
    S = Server([SCEN, "--human", "USA,RUS,CHN", "--step", "--journal", "j", "--people", "people.csv"], tmp)
    try:
        alice, w = join(S, "Alice")
        check([c["id"] for c in w["channels"]] == ["team.USA", "white.USA", "pair.USA.RUS", "pair.USA.CHN"], "USA's channels: %r" % w["channels"])
        check(w["channels"][1]["name"] == "USA and the white cell", "channel names: %r" % w["channels"])
        check([f["name"] for f in w["forms"]] == ["rfi", "note"] and w["forms"][0]["title"] == "Request for information", "forms: %r" % w["forms"])
        check([a["name"] for a in w["forms"][0]["args"]] == ["question", "about", "urgency"], "form args: %r" % w["forms"][0])
        uma, w = join(S, "Uma")
        check(len(w["channels"]) == 1 + 3 + 3 + 3 and w["channels"][0]["id"] == "white", "the white cell is in every channel: %r" % w["channels"])
        bob, _ = join(S, "Bob")
        carol, _ = join(S, "Carol")
        chen, w = join(S, "Chen")
        check("pair.USA.RUS" not in [c["id"] for c in w["channels"]], "CHN is not in USA-RUS")
        rita, _ = join(S, "Rita")
        # A post reaches the channel's members, and nobody else.
        r = alice.request({"type": "post", "channel": "pair.USA.RUS", "text": "talks on Tuesday?"})
        check(r["type"] == "ack" and r["input"] >= 1, "a post is acknowledged: %r" % r)
        for c in (alice, bob, carol, uma, rita):
            m = c.wait_for(lambda m: m["type"] == "message" and m.get("channel") == "pair.USA.RUS")
            check(m["from"] == "Alice" and m["seat"] == "USA" and m["role"] == "lead" and m["text"] == "talks on Tuesday?"
                  and m["input"] == r["input"] and m["date"] == "2026-01-01", "the message: %r" % m)
        check(not msgs(chen), "CHN does not read USA-RUS")
        # A non-member cannot post; a channel that does not exist is named.
        r = chen.request({"type": "post", "channel": "pair.USA.RUS", "text": "hello?"})
        check(r["type"] == "error" and r["code"] == "not_member", "a non-member's post is refused: %r" % r)
        r = chen.request({"type": "post", "channel": "team.USA", "text": "hello?"})
        check(r["code"] == "not_member", "another team's channel is refused: %r" % r)
        r = chen.request({"type": "post", "channel": "pair.RUS.USA", "text": "x"})
        check(r["code"] == "unknown_channel" and "welcome.channels" in r["message"], "an unknown channel: %r" % r)
        check(not [m for m in msgs(carol) if m["text"] == "hello?"], "a refused post reaches nobody")
        # Members talk; the rfi desk answers in any channel.
        r = bob.request({"type": "post", "channel": "team.USA", "text": "agreed"})
        check(r["type"] == "ack", "a member posts in the seat's channel: %r" % r)
        check(not [m for m in msgs(carol) if m["text"] == "agreed"], "RUS does not read USA's team channel")
        r = rita.request({"type": "post", "channel": "white.USA", "text": "the test was a Burevestnik"})
        check(r["type"] == "ack", "the rfi desk posts: %r" % r)
        m = bob.wait_for(lambda m: m["type"] == "message" and m.get("channel") == "white.USA")
        check(m["role"] == "rfi" and m["from"] == "Rita" and m["seat"] == "facilitator", "from the rfi desk: %r" % m)
        # Forms: fields checked and converted as a move's arguments are.
        r = bob.request({"type": "post", "channel": "white.USA", "form": "rfi", "fields": {"question": "who tested?", "about": "RUS"}})
        check(r["type"] == "ack", "a form post: %r" % r)
        m = uma.wait_for(lambda m: m["type"] == "message" and m.get("form") == "rfi")
        check(m["fields"] == {"question": "who tested?", "about": "RUS", "urgency": "routine"} and m["text"] == "", "fields with defaults: %r" % m)
        for msg, code, what in (
                ({"form": "rfx", "fields": {}}, "unknown_form", "no form 'rfx'"),
                ({"form": "rfi", "fields": {"about": "RUS"}}, "bad_fields", "question is required"),
                ({"form": "rfi", "fields": {"question": "q", "about": "XXX"}}, "bad_fields", "about: no state 'XXX'"),
                ({"form": "rfi", "fields": {"question": "q", "colour": "red"}}, "bad_fields", "unknown argument 'colour'"),
                ({"form": "note", "fields": {"x": 1}}, "bad_fields", "declares no fields"),
                ({"text": "x" * 4097}, "bad_field", "4096"),
                ({"text": ""}, "bad_field", "non-empty"),
                ({"text": "x", "fields": {"a": 1}}, "bad_field", "go with a 'form'"),
                ({"text": 5}, "bad_field", "string")):
            r = alice.request(dict({"type": "post", "channel": "team.USA"}, **msg))
            check(r["type"] == "error" and r["code"] == code and what in r["message"], "%r: %r" % (msg, r))
        check(alice.request({"type": "post", "channel": "team.USA", "text": "x" * 4096})["type"] == "ack", "4096 bytes is the limit")
        # A retry is applied once.
        alice.n += 1
        post = {"type": "post", "id": alice.n, "channel": "pair.USA.RUS", "text": "retry me"}
        alice.send(post)
        a1 = alice.wait_for(lambda m: m.get("id") == alice.n)
        alice.send(post)
        a2 = alice.wait_for(lambda m: m.get("id") == alice.n and m.get("repeated"))
        check(a1["input"] == a2["input"], "the retry gets the first ack")
        check(len([m for m in msgs(carol) if m["text"] == "retry me"]) == 1, "the message is sent once")
        # Catch-up: from last_input, each once, in order; none of another's channels.
        carol_all = msgs(carol)
        first = carol_all[0]["input"]
        carol.close()
        c2, _ = join(S, "Carol", last_input=first)
        got = msgs(c2)
        check([m["input"] for m in got] == [m["input"] for m in carol_all[1:]], "catch-up after last_input: %r" % got)
        chen.close()
        c3, _ = join(S, "Chen")
        check(msgs(c3) == [], "CHN catches up on nothing of others' channels")
        want = {k: [m for m in msgs(c) if m["type"] == "message"] for k, c in (("Alice", alice), ("Uma", uma), ("Chen", c3))}
        check(len(want["Alice"]) == 6 and len(want["Uma"]) == 6 and want["Chen"] == [], "what each saw: %r" % [len(v) for v in want.values()])
    finally:
        S.kill()
    # After a kill -9 and a resume: the same messages, with the same members.
    S = Server([], tmp, resume="j")
    try:
        for name in ("Alice", "Uma", "Chen"):
            c, _ = join(S, name)
            got = msgs(c)
            check(got == want[name], "%s after the resume: %r\nwant %r" % (name, got, want[name]))
    finally:
        S.kill()
    out = os.path.join(tmp, "x")
    r = subprocess.run([DETENTE, "replay", os.path.join(tmp, "j"), "--export", out, "--quiet"], capture_output=True, text=True)
    check(r.returncode == 0, "export: %s" % r.stderr)
    with open(os.path.join(out, "messages.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check([(x["channel"], x["person"], x["n"]) for x in rows] ==
          [("pair.USA.RUS", "Alice", "1"), ("pair.USA.RUS", "Alice", "6"), ("team.USA", "Bob", "2"), ("team.USA", "Alice", "5"),
           ("white.USA", "Rita", "3"), ("white.USA", "Bob", "4")], "messages.csv by channel, then in order: %r" % [(x["channel"], x["n"]) for x in rows])
    check(json.loads(rows[5]["fields"])["about"] == "RUS" and rows[5]["form"] == "rfi", "fields in the export: %r" % rows[5])


def t_console(tmp):
    S = Server([SCEN, "--human", "USA", "--step", "--journal", "j"], tmp, console=True)
    try:
        usa = S.client("USA")
        S.console("post white.USA hello from the white cell")
        m = usa.wait_for(lambda m: m["type"] == "message" and m.get("channel") == "white.USA")
        check(m["from"] == "console" and m["role"] == "umpire", "the console posts: %r" % m)
        S.out.wait_for(lambda l: l.startswith("[white.USA] console (facilitator umpire, 2026-01-01): hello from"), what="the console line")
        S.console("form team.USA rfi question=why about=RUS text=\"see the note\"")
        m = usa.wait_for(lambda m: m["type"] == "message" and m.get("form") == "rfi")
        check(m["fields"]["about"] == "RUS" and m["text"] == "see the note", "a form from the console: %r" % m)
        S.out.wait_for(lambda l: l.startswith("[team.USA] console") and "rfi: about=RUS question=why urgency=routine; see the note" in l, what="the form line")
    finally:
        S.kill()


if __name__ == "__main__":
    run_tests(globals())
