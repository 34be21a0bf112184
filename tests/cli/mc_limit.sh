# mc_limit.sh: a run that hits a sandbox limit is a row with status `limit`
# (not `error`), counted and listed in the summary as such; the batch goes on
# and exits 0; when every run hits the limit, mc exits 4.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_limit.lua"
"$DETENTE" mc "$S" --runs 30 --seed 2 --max-instructions 200000 -q --out "$TMP/r.csv" --summary "$TMP/s.json" 2>"$TMP/err" ||
  die "mc should exit 0 when some runs succeed"
"${DETENTE_PY:-python3}" - "$TMP/r.csv" "$TMP/s.json" <<'PY' || die "limit rows or summary wrong"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
s = json.load(open(sys.argv[2]))
lim = [r for r in rows if r["status"] == "limit"]
ok = [r for r in rows if r["status"] == "ok"]
assert len(lim) + len(ok) == 30 and 3 <= len(lim) <= 27, (len(lim), len(ok))
assert all("instruction" in r["error"] and r["fine"] == "NA" for r in lim), lim[0]
assert all(r["fine"] == "TRUE" and r["error"] == "NA" for r in ok)
assert s["errors"]["count"] == len(lim), s["errors"]
assert s["errors"]["first"] and all(e["status"] == "limit" for e in s["errors"]["first"]), s["errors"]["first"]
assert s["points_summary"][0]["ok"] == len(ok) and s["points_summary"][0]["errors"] == len(lim)
PY
expect_fail 4 "instruction" -- "$DETENTE" mc "$S" --runs 5 -D p_loop=1 --max-instructions 200000 -q
echo "ok: status=limit rows, summary and exit codes"
