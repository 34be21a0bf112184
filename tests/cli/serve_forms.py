"""serve_forms.py: the flagship served to two human teams, through the TCP
protocol and the console's typed commands: every move and inject carries its
declared arguments, references by id ("RUS", "nst", "P1", "5d", "6 months")
are accepted, bad ones refused with a reason naming the argument, and typed
key="quoted values" keep their spaces. Run: python3 serve_forms.py"""
import json, os, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_lib import Server, check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGSHIP = os.path.join(ROOT, "scripts", "new_start_2026.lua")


def move(c, name, args):
    return c.request({"type": "move", "move": name, "args": args})


def main(tmp):
    S = Server([FLAGSHIP, "--human", "USA,RUS", "--journal", "j", "--step", "--log", "live.jsonl"], tmp, console=True)
    try:
        f = S.client("facilitator")
        usa = S.client("USA")
        rus = S.client("RUS")
        w = [m for m in rus.msgs if m["type"] == "welcome"][0]
        moves = {m["name"]: m for m in w["moves"]}
        check(set(moves) >= {"offer_extension", "public_statement", "upload", "weapon_test"},
              "the standard moves are offered: %r" % sorted(moves))
        # Offered only while their preconditions hold: nothing to answer or withdraw yet.
        check(not {"answer_offer", "withdraw_offer"} & set(moves), "no offer to answer yet: %r" % sorted(moves))
        fmoves = {m["name"] for m in [m for m in f.msgs if m["type"] == "welcome"][0]["moves"]}
        check({"answer_offer", "withdraw_offer"} <= fmoves, "the white cell is offered every move")
        for m in w["moves"]:
            check(m["args"], "move %s declares its arguments" % m["name"])
        arg = {a["name"]: a for a in moves["offer_extension"]["args"]}
        check(arg["to"]["type"] == "state" and arg["treaty"] == dict(arg["treaty"], type="treaty", required=True),
              "offer_extension's to and treaty: %r" % arg)
        up = {a["name"]: a for a in moves["upload"]["args"]}["system"]
        check(up["type"] == "system" and "ICBM force" in up["options"], "RUS is shown its own systems: %r" % up)
        fw = [m for m in f.msgs if m["type"] == "welcome"][0]
        inj = {i["name"]: i for i in fw["injects"]}
        check({"summit_scheduled", "sanctions_round", "test_announced", "understanding_leaked"} <= set(inj),
              "the flagship's injects: %r" % sorted(inj))
        check([a["name"] for a in inj["sanctions_round"]["args"]] == ["by", "targets", "severity"], "an inject's form")

        # References by id, as the examples failed before.
        r = move(rus, "offer_extension", {"to": "USA", "treaty": "new_start", "years": 1, "deadline": "2026-06-01"})
        check(r["type"] == "ack" and r["accepted"], "an offer by ids: %r" % r)
        p = rus.expect(lambda m: m.get("type") == "event" and m["kind"] == "proposal.made")["data"]["proposal"]
        um = usa.expect(lambda m: m["type"] == "moves")
        check("answer_offer" in [x["name"] for x in um["moves"]], "USA is offered answer_offer now: %r" % um)
        rm = rus.expect(lambda m: m["type"] == "moves")
        check("withdraw_offer" in [x["name"] for x in rm["moves"]], "RUS may withdraw its offer: %r" % rm)
        r = move(usa, "answer_offer", {"proposal": p, "answer": "accept", "why": "a good start"})
        check(r["accepted"], "an answer by the proposal's id %s: %r" % (p, r))
        um = usa.wait_for(lambda m: m["type"] == "moves")
        check("answer_offer" not in [x["name"] for x in um["moves"]], "answered: no longer offered: %r" % um)
        e = move(usa, "answer_offer", {"proposal": p, "answer": "accept"})
        check(e["type"] == "error" and e["code"] == "unavailable", "answering again is not offered: %r" % e)
        r = move(rus, "weapon_test", {"system": "Burevestnik", "announce_after": "5d"})
        check(r["accepted"], "a duration as 5d: %r" % r)
        r = move(usa, "pledge", {"treaty": "New START", "until": "2027-02-01"})
        check(r["accepted"], "a date: %r" % r)
        for args, reason in (({"to": "XXX", "treaty": "new_start", "years": 1}, "to: no state 'XXX' (the states: USA RUS)"),
                             ({"to": "USA", "treaty": "abm", "years": 1}, "treaty: no treaty 'abm' (the treaties: new_start)"),
                             ({"to": "USA", "treaty": "new_start", "years": 0}, "years must be at least 1"),
                             ({"to": "USA", "treaty": "new_start", "years": 1, "colour": "red"}, "unknown argument 'colour'")):
            r = move(rus, "offer_extension", args)
            check(r["type"] == "ack" and not r["accepted"] and reason in r["reason"], "refused %r: %r" % (args, r))
        r = move(rus, "upload", {"system": "Minuteman III", "n": 10})
        check(not r["accepted"] and "RUS has no system 'Minuteman III'" in r["reason"], "another state's system: %r" % r)

        # Injects with arguments, from the protocol and typed on the console.
        r = f.request({"type": "inject", "name": "summit_scheduled", "args": {"in": "2w", "venue": "Geneva"}})
        check(r["type"] == "ack" and "accepted" not in r, "an inject with arguments: %r" % r)
        usa.expect(lambda m: m.get("kind") == "summit.scheduled" and "Geneva" in m["text"])
        r = f.request({"type": "inject", "name": "sanctions_round", "args": {"severity": "total"}})
        check(r["type"] == "ack" and r["accepted"] is False and "severity" in r["reason"], "an inject refused: %r" % r)
        S.console('inject understanding_leaked outlet="The Washington Post" tone=reassuring')
        S.out.wait_for(lambda l: l.startswith("ok: inject understanding_leaked"), what="the typed inject's ack")
        S.console('move RUS public_statement text="we will keep the limits, if Washington does" tone=positive about=new_start')
        line = S.out.wait_for(lambda l: l.startswith(("ok: move", "refused:", "error:")), what="the typed move's ack")
        check(line.startswith("ok: move RUS public_statement"), "a typed move with a quoted value: %r" % line)
        rus.expect(lambda m: m.get("kind") == "statement.made" and m["text"] == "we will keep the limits, if Washington does")
        S.console('move RUS public_statement text="not closed')
        line = S.out.wait_for(lambda l: l.startswith("error:"), what="the unclosed quote")
        check("not closed" in line, "an unclosed quote is refused: %r" % line)
        leak = usa.expect(lambda m: m.get("kind") == "leak.published")
        check("The Washington Post" in leak["text"], "the typed inject's quoted argument: %r" % leak)

        f.request({"type": "end"})
        check(S.wait() == 0, "ended")
        # The same session replays to the same log.
        import subprocess
        from serve_lib import DETENTE
        out = subprocess.run([DETENTE, "replay", "j", "--log", "replay.jsonl", "-q"], cwd=tmp, capture_output=True, text=True)
        check(out.returncode == 0, "replay: " + out.stderr)
        check(open(os.path.join(tmp, "live.jsonl")).read() == open(os.path.join(tmp, "replay.jsonl")).read(),
              "the replay gives the live log")
        print("forms: %d moves and %d injects with declared arguments; references by id accepted" % (len(moves), len(inj)))
    finally:
        S.kill()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        try:
            main(tmp)
        except Exception:
            err = os.path.join(tmp, "server.err")
            if os.path.exists(err):
                sys.stderr.write("--- server stderr ---\n" + open(err).read()[-3000:])
            raise
