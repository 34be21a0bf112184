# html_numbers.sh: the HTML pages print numbers as the terminal does. An
# outcome computed as 0.6799999999999999 shows as 0.68 in `run --html` (as in
# the timeline), and a swept whole-number param shows as 10, not 10.0, in
# `report --html` (the sweep values are stored as JSON reals).
source "$(dirname "$0")/data/mc_lib.sh"
F=$DATA/html_numbers.lua
# the terminal's form, which the pages must match
"$DETENTE" run "$F" --no-color >"$TMP/out.txt"
grep -Eq '^  tension +0\.68$' "$TMP/out.txt" || { cat "$TMP/out.txt" >&2; die "the timeline should print tension 0.68"; }
"$DETENTE" run "$F" -q --html "$TMP/run.html" >/dev/null
grep -q '<td><code>tension</code></td><td class="n">0.68</td>' "$TMP/run.html" ||
  die "run --html should show tension as 0.68, has: $(grep -o 'tension</code></td><td class="n">[^<]*' "$TMP/run.html")"
grep -q '<td><code>upload</code></td><td class="n">10</td>' "$TMP/run.html" || die "run --html: param upload should be 10"
grep -q '0\.6799999' "$TMP/run.html" && die "run --html shows the long form 0.6799999..."
"$DETENTE" mc "$F" --runs 4 --threads 1 --sweep upload=10,30 --out "$TMP/runs.csv" >/dev/null 2>&1
"$DETENTE" report "$TMP/runs.csv" --html "$TMP/rep.html" >/dev/null 2>&1
for v in 10 30; do
  grep -q ">upload=$v<" "$TMP/rep.html" || die "report --html should label the point upload=$v"
done
grep -Eq 'upload=(10|30)\.0' "$TMP/rep.html" && die "report --html shows a swept whole number as N.0"
grep -q '0\.6799999' "$TMP/rep.html" && die "report --html shows the long form 0.6799999..."
echo "html_numbers: ok"
