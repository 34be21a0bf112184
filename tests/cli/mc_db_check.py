"""mc_db_check.py: checks that a batch's SQLite database holds exactly its
runs file (python3's sqlite3 and csv only), or that two databases hold the
same rows. Usage: mc_db_check.py equal-csv DB CSV | same DB1 DB2"""
import csv
import json
import math
import sqlite3
import sys


def typed(text, quoted_na_free=True):
    if text == "NA":
        return None
    if text == "TRUE":
        return 1
    if text == "FALSE":
        return 0
    try:
        x = float(text)
        return None if math.isnan(x) else x
    except ValueError:
        return text


def equal_csv(dbpath, csvpath):
    db = sqlite3.connect(dbpath)
    meta = json.loads(db.execute("SELECT value FROM batch WHERE key = 'meta'").fetchone()[0])
    params = [p["name"] for p in meta["params"]]
    outcomes = [o["name"] for o in meta["outcomes"]]
    with open(csvpath, newline="") as f:
        rows = list(csv.reader(f))
    head, rows = rows[0], rows[1:]
    has_point = "point" in head[:3]
    base = 3 if has_point else 2
    assert len(rows) == db.execute("SELECT count(*) FROM runs").fetchone()[0], "run count"
    assert meta["rows"] == len(rows), "meta rows"
    p = dict(((r, n), v) for r, n, v in db.execute("SELECT run, name, value FROM params"))
    o = dict(((r, n), v) for r, n, v in db.execute("SELECT run, name, value FROM outcomes"))
    runs = {r[0]: r[1:] for r in db.execute("SELECT run, seed, point, status, error FROM runs")}
    assert len(p) == len(rows) * len(params) and len(o) == len(rows) * len(outcomes), "long-format counts"
    for row in rows:
        run = int(row[0])
        seed, point, status, error = runs[run]
        assert "s" + seed == row[1], (run, seed, row[1])
        assert point == (int(row[2]) if has_point else 0), (run, point)
        assert status == row[-2] and error == typed(row[-1]), (run, status, error, row[-2:])
        for i, name in enumerate(params):
            assert p[(run, name)] == typed(row[base + i]), (run, name, p[(run, name)], row[base + i])
        for i, name in enumerate(outcomes):
            want = row[base + len(params) + i]
            assert o[(run, name)] == typed(want), (run, name, o[(run, name)], want)
    # the indexes the docs promise
    idx = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"runs_by_point", "params_by_name", "outcomes_by_name"} <= idx, idx
    print(f"ok: {len(rows)} runs, {len(params)} params, {len(outcomes)} outcomes equal the CSV")


def dump(path):
    db = sqlite3.connect(path)
    out = {}
    for t, order in (("runs", "run"), ("params", "run, name"), ("outcomes", "run, name"),
                     ("series", "run, series, date")):
        out[t] = db.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall()
    out["meta"] = db.execute("SELECT value FROM batch WHERE key = 'meta'").fetchone()
    return out


if __name__ == "__main__":
    if sys.argv[1] == "equal-csv":
        equal_csv(sys.argv[2], sys.argv[3])
    else:
        a, b = dump(sys.argv[2]), dump(sys.argv[3])
        for k in a:
            assert a[k] == b[k], f"{k} differs between {sys.argv[2]} and {sys.argv[3]}"
        print("ok: same database content")
