# html_numbers.sh: the HTML pages print numbers as the terminal does. An
# outcome computed as 0.6799999999999999 shows as 0.68 in `run --html` (as in
# the timeline), and a swept whole-number param shows as 10, not 10.0, in
# `report --html` (the sweep values are stored as JSON reals). A share prints
# as 50% on the terminal (both the comparison table and a point's summary) and
# in the report (the comparison table and the chart), never 50.0%.
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
"$DETENTE" mc "$F" --runs 4 --threads 1 --sample lhs --out "$TMP/one.csv" >"$TMP/one.txt" 2>/dev/null
grep -Eq '^  side +(high|low) 50%, (high|low) 50%  \(n = 4\)$' "$TMP/one.txt" ||
  die "a point's summary should print side 50%: $(grep side "$TMP/one.txt")"
"$DETENTE" mc "$F" --runs 4 --threads 1 --sample lhs --sweep upload=10,30 --out "$TMP/two.csv" >"$TMP/two.txt" 2>/dev/null
[ "$(grep -cE '^  [12] upload=(10|30) .* (high|low) 50% +p 0\.500$' "$TMP/two.txt")" -eq 2 ] ||
  die "the comparison table should print 50%: $(grep upload= "$TMP/two.txt")"
"$DETENTE" report "$TMP/two.csv" --html "$TMP/two.html" >/dev/null 2>&1
[ "$(grep -oE '>(high|low) 50%<' "$TMP/two.html" | wc -l)" -eq 2 ] ||
  die "the report's comparison table should print 50%: $(grep -oE '(high|low) [0-9.]+%' "$TMP/two.html" | head -3)"
grep -q '>50% (2)</text>' "$TMP/two.html" || die "the report's chart should label a share 50% (2)"
# a probability has the terminal's 3 decimals in the report too (p 0.500, not 0.5)
grep -Eq '^  low +p = 0\.500  95% CI \[0\.[0-9]{3}, 0\.[0-9]{3}\]' "$TMP/one.txt" || die "terminal: low p = 0.500"
[ "$(grep -oE '>0\.500 \[0\.[0-9]{3}, 0\.[0-9]{3}\]<' "$TMP/two.html" | wc -l)" -eq 2 ] ||
  die "the report's comparison table should print p as 0.500 [lo, hi]"
grep -q '>p = 0\.500 \[0\.[0-9]\{3\}, 0\.[0-9]\{3\}\] (n = 4)<' "$TMP/two.html" ||
  die "the report's probability chart should print p = 0.500"
for f in one.txt two.txt two.html; do
  ! grep -q '50\.0%' "$TMP/$f" || die "$f prints 50.0%"
done
echo "html_numbers: ok"
