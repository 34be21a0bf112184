# readers_spreadsheet.sh: the runs file imported by a spreadsheet as it is,
# with no import options (Gnumeric's ssconvert, from Debian): booleans become
# boolean cells, numbers numeric cells (to 15 significant digits), seeds text that
# still reproduces its run, and a missing value the text NA (which a
# spreadsheet's AVERAGE, SUM and COUNT skip, as they skip any text).
source "$(dirname "$0")/data/mc_lib.sh"
PY=/usr/bin/python3
command -v ssconvert >/dev/null || { echo "skip: needs ssconvert (make deps installs gnumeric)"; exit 77; }
S="$DATA/readers.lua"
"$DETENTE" mc "$S" --runs 50 --seed 7 -q --out "$TMP/r.csv" 2>/dev/null || die "mc"
ssconvert "$TMP/r.csv" "$TMP/r.gnumeric" >/dev/null 2>&1 || die "ssconvert could not import the runs file"
"$PY" - "$TMP/r.csv" "$TMP/r.gnumeric" <<'PY' || die "the spreadsheet's cells"
import csv, gzip, html, math, re, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
cells = {}
for m in re.finditer(r'<gnm:Cell Row="(\d+)" Col="(\d+)" ValueType="(\d+)"[^>]*>([^<]*)<', gzip.open(sys.argv[2]).read().decode()):
    cells[int(m.group(1)), int(m.group(2))] = (int(m.group(3)), html.unescape(m.group(4)))
BOOL, NUM, TEXT = 20, 40, 60
checked = {"bool": 0, "num": 0, "text": 0, "na": 0}
for r, row in enumerate(rows[1:], start=1):
    for c, v in enumerate(row):
        t, got = cells.get((r, c), (None, ""))
        if v in ("TRUE", "FALSE"):
            assert t == BOOL and got == v, (r, c, v, t, got); checked["bool"] += 1
        elif v == "NA":
            assert t == TEXT and got == "NA", (r, c, t, got); checked["na"] += 1
        elif v == "":
            continue
        elif re.fullmatch(r"-?[0-9.]+(e[-+]?[0-9]+)?", v):
            # A spreadsheet computes in its own floating point: 15 significant
            # digits are what it promises, and what is checked.
            assert t == NUM and math.isclose(float(got), float(v), rel_tol=1e-15, abs_tol=0), (r, c, v, t, got)
            checked["num"] += 1
        else:
            assert t == TEXT and got == v, (r, c, v, t, got); checked["text"] += 1
assert all(checked.values()), checked
seed_col = rows[0].index("seed")
assert all(cells[r, seed_col][0] == TEXT and cells[r, seed_col][1].startswith("s") for r in range(1, len(rows)))
print(cells[1, seed_col][1])
PY
seed=$("$PY" - "$TMP/r.gnumeric" "$TMP/r.csv" <<'PY'
import csv, gzip, re, sys
col = next(csv.reader(open(sys.argv[2]))).index("seed")
m = re.search(r'<gnm:Cell Row="3" Col="%d" ValueType="60"[^>]*>(s[0-9]+)<' % col, gzip.open(sys.argv[1]).read().decode())
print(m.group(1))
PY
)
# A seed taken from the spreadsheet is the file's, digit for digit, and
# `detente run --seed` takes it as it is.
want=$("$PY" -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1]))); print(r[3][r[0].index("seed")])' "$TMP/r.csv")
[ "$seed" = "$want" ] || die "the spreadsheet's seed $seed is not the file's $want"
"$DETENTE" run "$S" --seed "$seed" --quiet >/dev/null 2>&1 || die "detente run --seed $seed (from the spreadsheet)"
echo "ok: the spreadsheet reads booleans, numbers, text and NA right; seed $seed reproduces"
