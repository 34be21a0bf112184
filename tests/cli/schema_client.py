"""schema_client.py: docs/schema/session-client.schema.json says what the
server's parser takes. Each message of a table goes to a live server (as the
USA seat, over TCP) and through the schema: the schema accepts it exactly when
the server does not refuse it with bad_json, unknown_type, bad_field or
version (any other answer — an ack, forbidden, unknown_move... — means the
parser took it). Run with a python3 that has jsonschema (make deps)."""
import json, os, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import jsonschema, json_check  # noqa: E402
from serve_lib import Server, DATA, check  # noqa: E402

PARSE_ERRORS = ("bad_json", "unknown_type", "bad_field", "version")
LONG = "x" * 5000

# (message, what it tries). Values that only the session can judge (an id
# that does not exist, a pace of zero) are not here: the schema leaves them
# to the server. Unknown extra fields neither: the server ignores them, the
# schema refuses them on purpose (a typo shows).
CASES = [
    ({"type": "ping"}, "ping"),
    ({"type": "ping", "id": "p"}, "a string id"),
    ({"type": "ping", "id": 7}, "an integer id"),
    ({"type": "ping", "id": [1]}, "a list as id"),
    ({"type": "ping", "id": None}, "null as id"),
    ({"type": "status"}, "status"),
    ({"type": "launch"}, "an unknown type"),
    ({"type": 5}, "a number as type"),
    ({}, "no type"),
    ({"type": "hello", "v": 1, "seat": "USA", "token": "t", "last_seq": 3, "last_input": 2}, "hello (again)"),
    ({"type": "hello", "v": 2, "seat": "USA", "token": "t"}, "hello v2"),
    ({"type": "hello", "seat": "USA", "token": "t"}, "hello without v"),
    ({"type": "hello", "v": 1, "seat": "", "token": "t"}, "hello with an empty seat"),
    ({"type": "hello", "v": 1, "seat": "USA"}, "hello without token"),
    ({"type": "hello", "v": 1, "seat": "USA", "token": "t", "last_seq": -1}, "hello last_seq -1"),
    ({"type": "hello", "v": 1, "seat": "USA", "token": "t", "last_input": "3"}, "hello last_input as text"),
    ({"type": "answer", "decision": "D9", "option": "yes"}, "answer"),
    ({"type": "answer", "decision": "X1", "option": "yes"}, "answer an odd decision id"),
    ({"type": "answer", "decision": 5, "option": "yes"}, "answer a number as decision"),
    ({"type": "answer", "decision": "D1"}, "answer without option"),
    ({"type": "answer", "decision": "D1", "option": ""}, "answer an empty option"),
    ({"type": "move", "move": "nope"}, "move"),
    ({"type": "move", "move": "statement", "args": {"text": "hello"}}, "move with args"),
    ({"type": "move", "move": "nope", "seat": "RUS"}, "move with a seat"),
    ({"type": "move", "move": "nope", "seat": ""}, "move with an empty seat"),
    ({"type": "move", "move": "nope", "seat": 5}, "move with a number as seat"),
    ({"type": "move", "move": "nope", "args": []}, "move with a list as args"),
    ({"type": "move"}, "move without move"),
    ({"type": "move", "move": LONG}, "move with a 5000-byte name"),
    ({"type": "inject", "name": "crisis"}, "inject"),
    ({"type": "inject", "name": "crisis", "args": {"level": 2}}, "inject with args"),
    ({"type": "inject", "name": "crisis", "args": [2]}, "inject with a list as args"),
    ({"type": "inject"}, "inject without name"),
    ({"type": "pause"}, "pause"),
    ({"type": "resume", "id": "r"}, "resume"),
    ({"type": "end"}, "end"),
    ({"type": "adjudicate"}, "adjudicate"),
    ({"type": "release"}, "release"),
    ({"type": "advance", "by": "10d"}, "advance by a duration"),
    ({"type": "advance", "by": 3600}, "advance by seconds"),
    ({"type": "advance", "to": "decision"}, "advance to decision"),
    ({"type": "advance", "by": "1 month"}, "advance by a month"),
    ({"type": "advance", "by": "36 hours"}, "advance by hours in words"),
    ({"type": "advance", "by": "2 Weeks"}, "advance by a capitalised word"),
    ({"type": "advance", "by": "1 fortnight"}, "advance by an unknown word"),
    ({"type": "advance", "by": "1.5 months"}, "advance by a fraction of a month"),
    ({"type": "advance"}, "advance with neither"),
    ({"type": "advance", "by": "1d", "to": "decision"}, "advance with both"),
    ({"type": "advance", "by": -1}, "advance by -1"),
    ({"type": "advance", "by": "ten days"}, "advance by words"),
    ({"type": "advance", "to": "end"}, "advance to the end"),
    ({"type": "seat", "seat": "RUS", "human": True}, "seat"),
    ({"type": "seat", "seat": "RUS", "human": "yes"}, "seat human as text"),
    ({"type": "seat", "human": False}, "seat without seat"),
    ({"type": "broadcast", "text": "hi"}, "broadcast"),
    ({"type": "broadcast", "text": ""}, "broadcast an empty text"),
    ({"type": "broadcast"}, "broadcast without text"),
    ({"type": "event", "text": "a white-cell event"}, "event"),
    ({"type": "event", "text": "x", "seats": ["USA", "RUS"]}, "event for two seats"),
    ({"type": "event"}, "event without text"),
    ({"type": "event", "text": ""}, "event with an empty text"),
    ({"type": "event", "text": "x", "seats": []}, "event for no seat"),
    ({"type": "event", "text": "x", "seats": [1]}, "event seats as numbers"),
    ({"type": "event", "text": "x", "seats": "USA"}, "event seats as text"),
    ({"type": "event", "text": "x", "seats": ["USA"] * 65}, "event for 65 seats"),
    ({"type": "event", "text": LONG}, "event with a 5000-byte text"),
    ({"type": "refuse", "input": 1, "reason": "no"}, "refuse"),
    ({"type": "refuse", "input": 0, "reason": "no"}, "refuse input 0"),
    ({"type": "refuse", "input": "1", "reason": "no"}, "refuse input as text"),
    ({"type": "refuse", "input": 1}, "refuse without reason"),
    ({"type": "amend", "input": 1, "reason": "r", "args": {}}, "amend"),
    ({"type": "amend", "input": 1, "reason": "r"}, "amend without args"),
    ({"type": "amend", "input": 1, "reason": "r", "args": "x"}, "amend with text as args"),
    ({"type": "post", "channel": "team.USA", "text": "hi"}, "post"),
    ({"type": "post", "channel": "team.USA", "form": "rfi"}, "post a form"),
    ({"type": "post", "channel": "team.USA", "form": "rfi", "fields": {"q": "x"}, "text": ""}, "post a form with fields"),
    ({"type": "post", "text": "hi"}, "post without channel"),
    ({"type": "post", "channel": "team.USA", "text": ""}, "post an empty text, no form"),
    ({"type": "post", "channel": "team.USA"}, "post neither text nor form"),
    ({"type": "post", "channel": "team.USA", "text": "x", "fields": {}}, "post fields without form"),
    ({"type": "post", "channel": "team.USA", "form": "rfi", "fields": []}, "post a list as fields"),
    ({"type": "post", "channel": "team.USA", "text": 5}, "post a number as text"),
    ({"type": "post", "channel": "team.USA", "text": LONG}, "post a 5000-byte text"),
    ({"type": "post", "channel": "team.USA", "form": ""}, "post an empty form name"),
    ({"type": "pace", "pace": "1d=10s"}, "pace"),
    ({"type": "pace", "pace": "2d=250ms"}, "pace in ms"),
    ({"type": "pace"}, "pace without pace"),
    ({"type": "pace", "pace": 7}, "pace as a number"),
    ({"type": "pace", "pace": "fast"}, "pace in words"),
]


def main():
    store = json_check.load_schemas()
    s = store["session-client.schema.json"]
    schema = jsonschema.Draft202012Validator(s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
    # The report message is the dashboard's, over the WebSocket only.
    bad, n = [], {"taken": 0, "refused": 0}
    if not schema.is_valid({"type": "report", "id": "w1"}):
        bad.append("the schema refuses the dashboard's report message (WebSocket only)")
    with tempfile.TemporaryDirectory() as tmp:
        S = Server([os.path.join(DATA, "serve_basic.lua"), "--human", "USA", "--step", "--journal", "j"], tmp)
        try:
            c = None
            for i, (msg, what) in enumerate(CASES):
                if i % 8 == 0:   # a new connection before the bad-message limit (20)
                    c = S.client("USA")
                c.send(msg)
                sync = "sync-%d" % i
                c.send({"type": "ping", "id": sync})
                got = []
                c.wait_for(lambda m: got.append(m) or m.get("id") == sync, timeout=10)
                answer = next(m for m in got if m["type"] in ("ack", "error", "pong", "status", "welcome"))
                refused = answer["type"] == "error" and answer["code"] in PARSE_ERRORS
                ok = schema.is_valid(msg)
                n["refused" if refused else "taken"] += 1
                if ok == refused:
                    bad.append("%s: the schema %s it, the server %s it (%s)" % (
                        what, "accepts" if ok else "refuses", "refuses" if refused else "takes",
                        answer.get("code") or answer["type"]))
        finally:
            S.kill()
    print("\n".join(bad))
    check(not bad, "the schema and the server's parser agree on every message")
    check(n["taken"] >= 30 and n["refused"] >= 40, "both kinds are covered: %r" % n)
    print("schema_client: %d messages, %r" % (len(CASES), n))


main()
