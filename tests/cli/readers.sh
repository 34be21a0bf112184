# readers.sh: the runs file reads right in the tools analysts use, with the
# exact one-line reads docs/formats.md#reading-the-runs-file gives: R's
# read.csv, readr, pandas and Python's csv module. Types (logical/bool,
# numeric, text, NA), seeds that reproduce their run with `detente run --seed`
# as the reader gives them, and the precision each reader keeps.
source "$(dirname "$0")/data/mc_lib.sh"
PY=${DETENTE_PY:-python3}
command -v Rscript >/dev/null && "$PY" -c 'import pandas' 2>/dev/null ||
  { echo "skip: needs Rscript and pandas (make deps installs r-base-core and python3-pandas)"; exit 77; }
S="$DATA/readers.lua"
"$DETENTE" mc "$S" --runs 200 --seed 7 -q --out "$TMP/r.csv" 2>/dev/null

# R: the documented read; every cell written back with 17 digits for the
# comparison below, the types checked here.
Rscript - "$TMP/r.csv" "$TMP" <<'R' || die "R's read.csv"
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1])
stopifnot(nrow(d) == 200, is.character(d$seed), all(grepl("^s[0-9]+$", d$seed)))
ok <- d$status == "ok"
stopifnot(any(!ok), is.logical(d$flag), is.logical(d$maybe_flag), is.integer(d$count),
          is.numeric(d$real), is.numeric(d$x001), is.character(d$text), is.character(d$error))
stopifnot(all(is.na(d$flag[!ok])), !any(is.na(d$flag[ok])), any(is.na(d$maybe_flag[ok])),
          any(is.na(d$maybe_real[ok])), all(is.na(d$error[ok])), !any(is.na(d$error[!ok])))
stopifnot(is.na(mean(d$maybe_flag)), !is.na(mean(d$flag[ok])))
# NaN, Inf and -Inf come back as themselves
sp <- d$special[ok]
stopifnot(is.numeric(sp), any(is.nan(sp)), any(sp == Inf, na.rm = TRUE), any(sp == -Inf, na.rm = TRUE),
          any(sp == 1.5, na.rm = TRUE), all(is.na(d$special[!ok]) & !is.nan(d$special[!ok])))
# text: NA (the word) reads as missing, as the doc says; "" stays ""; the rest as written
stopifnot(any(is.na(d$text[ok])), "" %in% d$text, "TRUE" %in% d$text, "Москва" %in% d$text,
          "quote \"inside\"" %in% d$text, " lead" %in% d$text)
stopifnot(grepl("boom, \"quoted\" — ошибка", d$error[!ok][1], fixed = TRUE))
x <- as.matrix(d[, sprintf("x%03d", 1:100)])
writeLines(ifelse(is.na(x), "NA", sprintf("%.17g", x)), file.path(a[2], "r_x.txt"))
writeLines(sprintf("%s %d %.17g %s", d$seed, d$count, d$real, ifelse(is.na(d$flag), "NA", d$flag)),
           file.path(a[2], "r_rows.txt"))
# readr: the same types with its default read ...
t <- readr::read_csv(a[1], show_col_types = FALSE, progress = FALSE)
stopifnot(is.character(t$seed), is.logical(t$flag), is.logical(t$maybe_flag), is.numeric(t$count),
          is.numeric(t$x001), is.character(t$text), all(is.na(t$error[t$status == "ok"])))
# ... and with the exact read the doc gives for it, R's own numbers
t <- type.convert(readr::read_csv(a[1], col_types = readr::cols(.default = "c")), as.is = TRUE)
stopifnot(is.logical(t$flag), is.character(t$seed))
writeLines(ifelse(is.na(as.matrix(t[, sprintf("x%03d", 1:100)])), "NA",
                  sprintf("%.17g", as.matrix(t[, sprintf("x%03d", 1:100)]))), file.path(a[2], "readr_x.txt"))
R

"$PY" - "$TMP/r.csv" "$TMP" <<'PY' || die "pandas, csv, or the precision of R's read"
import csv, math, sys
import pandas as pd
path, tmp = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
assert len(rows) == 200
ok = [r["status"] == "ok" for r in rows]
xs = ["x%03d" % i for i in range(1, 101)]
# Python's csv: every value as written
assert all(r["seed"].startswith("s") for r in rows)
assert {r["flag"] for r, o in zip(rows, ok) if o} == {"TRUE", "FALSE"}
assert all(r["error"] == "NA" for r, o in zip(rows, ok) if o)
exact = [float(r[c]) if r[c] != "NA" else None for r in rows for c in xs]   # row-major, like R's t()
assert sum(v is not None for v in exact) > 15000
# R: within one unit in the last place; integers exact
def ulps(a, b): return abs(a - b) / math.ulp(a)
def check(name, file):
    got = open(f"{tmp}/{file}").read().split()
    # R wrote the matrix column-major: reorder
    n = len(rows)
    worst = 0.0
    for ci in range(100):
        for ri in range(n):
            want, g = exact[ri * 100 + ci], got[ci * n + ri]
            if want is None: assert g == "NA", (name, ri, ci, g); continue
            worst = max(worst, ulps(want, float(g)))
    assert worst <= 1.0, (name, worst)
    return worst
check("read.csv", "r_x.txt")
check("readr + type.convert", "readr_x.txt")
for line, r in zip(open(f"{tmp}/r_rows.txt"), rows):
    seed, count, real, flag = line.split()
    assert seed == r["seed"] and count == r["count"], (seed, r["seed"])
    assert (flag == "NA") == (r["flag"] == "NA") and (flag == "NA" or flag == r["flag"]), (flag, r["flag"])
    if r["real"] != "NA": assert ulps(float(r["real"]), float(real)) <= 1
# pandas, the documented read: types, NaN for missing, and every double exact
d = pd.read_csv(path, float_precision="round_trip")
assert d["flag"].dtype == object and d.loc[d.status == "ok", "flag"].map(type).eq(bool).all()
okd = d[d.status == "ok"]
assert okd["flag"].astype(bool).dtype == bool
assert d["seed"].dtype == object and d["x001"].dtype == "float64" and d["count"].dtype == "float64"  # NaN in error rows
assert d.loc[~d.status.eq("ok"), "flag"].isna().all() and okd["error"].isna().all()
assert okd["maybe_real"].isna().any() and okd["text"].isna().any()
sp = okd["special"]
assert sp.dtype == "float64" and sp.isna().any() and (sp == float("inf")).any() and (sp == float("-inf")).any() and (sp == 1.5).any()
got = d[xs].to_numpy().ravel()
for want, g in zip(exact, got):
    assert (want is None and math.isnan(g)) or want == g, (want, g)
# a batch with no failed runs: booleans are bool, integers int64
PY
"$DETENTE" mc "$S" --runs 20 --seed 3 -D p_fail=0 -q --out "$TMP/ok.csv"
"$PY" -c '
import sys, pandas as pd
d = pd.read_csv(sys.argv[1], float_precision="round_trip")
assert d["flag"].dtype == bool, d["flag"].dtype
assert d["count"].dtype == "int64", d["count"].dtype
assert d["x001"].dtype == "float64" and d["seed"].dtype == object' "$TMP/ok.csv" || die "pandas types of a batch without failures"

# Reproduce three rows from the seed as R gave it.
n=0
while read -r seed count real flag; do
  n=$((n + 1)); [ $n -le 40 ] || break
  [ "$flag" = NA ] && continue
  out=$("$DETENTE" run --seed "$seed" --quiet "$S")
  v() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$out"; }
  [ "$(v count)" = "$count" ] || die "seed $seed: count is $(v count) in detente run, $count in R"
  [ "$(v flag)" = "${flag,,}" ] || die "seed $seed: flag is $(v flag) in detente run, $flag in R"
  reproduced=$((${reproduced:-0} + 1))
  [ "$reproduced" -ge 3 ] && break
done < "$TMP/r_rows.txt"
[ "${reproduced:-0}" -ge 3 ] || die "could not reproduce three rows"
echo "ok: R read.csv, readr, pandas and csv read the runs file right; seeds from R reproduce their run"
