# mc_csv_roundtrip.sh: every row of a runs file holding awkward text (CR, CRLF,
# LF, quotes, commas, spaces, non-ASCII in a string param, string outcomes and
# the error column) reads back with Python's csv module as exactly what
# `detente run --seed` of that run gives (its --log: params, outcomes, error).
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/csv_roundtrip.lua"
label=$' Genève, "CR"\r and CRLF\r\n — ok '
"$DETENTE" mc "$S" --runs 40 --seed 5 -D "label=$label" -q --out "$TMP/r.csv" 2>/dev/null
"${DETENTE_PY:-python3}" - "$TMP/r.csv" "$S" "$label" "$DETENTE" "$TMP" <<'PY' || die "a row differs from detente run"
import csv, json, subprocess, sys
path, scen, label, detente, tmp = sys.argv[1:]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
assert len(rows) == 40, len(rows)
def cell(v):
    if v is None: return "NA"
    if v is True: return "TRUE"
    if v is False: return "FALSE"
    if isinstance(v, float) and v == int(v): return str(int(v))
    return str(v)
seen = {"ok": 0, "error": 0, "cr": 0}
for r in rows:
    log = "%s/run%s.jsonl" % (tmp, r["run"])
    subprocess.run([detente, "run", scen, "--seed", r["seed"], "-D", "label=" + label, "--quiet", "--log", log],
                   capture_output=True)
    lines = [json.loads(l) for l in open(log, encoding="utf-8")]
    head, end = lines[0], lines[-1]
    assert r["label"] == head["params"]["label"] == label, (r["run"], r["label"], head["params"]["label"])
    assert r["status"] == end["status"], (r["run"], r["status"], end["status"])
    if end["status"] == "ok":
        for k, v in end["outcomes"].items():
            assert r[k] == cell(v), (r["run"], k, r[k], v)
        assert r["error"] == "NA"
        seen["ok"] += 1
    else:
        want = end["error"].split("\n")[0]
        assert r["error"] == want, (r["run"], r["error"], want)
        assert all(r[k] == "NA" for k in ("word", "two", "echo", "maybe_word", "n", "flag")), r
        seen["error"] += 1
    seen["cr"] += any("\r" in r[k] for k in ("word", "two", "error"))
assert seen["ok"] >= 10 and seen["error"] >= 5 and seen["cr"] >= 5, seen
print("rows compared: %r" % seen)
PY
# The raw bytes: a CR inside a value is always inside quotes.
"${DETENTE_PY:-python3}" - "$TMP/r.csv" <<'PY' || die "a CR outside quotes"
import sys
data = open(sys.argv[1], "rb").read()
inq = False
for i, b in enumerate(data):
    if b == 0x22: inq = not inq
    elif b == 0x0D and not inq: sys.exit("raw CR outside quotes at byte %d" % i)
PY
# The text NA is written quoted, a missing value NA bare; merging shards keeps
# them apart (the merged files equal the unsharded ones).
grep -q ',"NA",' "$TMP/r.csv" || die "the text NA should be quoted"
grep -q ',NA,' "$TMP/r.csv" || die "missing values should be a bare NA"
"$DETENTE" mc "$S" --runs 40 --seed 5 -D "label=$label" -q --summary "$TMP/s.json" >/dev/null 2>&1
for k in 1 2; do "$DETENTE" mc "$S" --runs 40 --seed 5 -D "label=$label" -q --shard $k/2 --out "$TMP/p$k.csv" 2>/dev/null; done
"$DETENTE" merge "$TMP/p1.csv" "$TMP/p2.csv" -q --out "$TMP/m.csv" --summary "$TMP/m.json"
same "$TMP/r.csv" "$TMP/m.csv" "merged runs file"
same "$TMP/s.json" "$TMP/m.json" "merged summary"
grep -q '"value": "NA"' "$TMP/s.json" || die "the summary counts the text NA as a value"
echo "ok: awkward text round-trips through the runs file, row by row"
