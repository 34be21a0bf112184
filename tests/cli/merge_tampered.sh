#!/usr/bin/env bash
# merge_tampered.sh: `detente merge` refuses a shard whose cells are not what
# `mc` writes, naming the file, row, run and column. Before, a status edited to
# 'zz' was counted as an error, 'abc' or '1e999' in a number column as a
# missing value or an infinity, 'maybe' in a yes/no column as missing: the
# merged summary changed and merge said nothing. A legitimate batch (numbers,
# NaN, yes/no, text, failed runs, a sampled param) still merges.
source "$(dirname "$0")/data/mc_lib.sh"
cat > "$TMP/t.lua" <<'LUA'
scenario { title = "tampered shards", start = "2026-01-01", stop = "2026-01-02" }
param("p", dist.uniform(0, 1), "a sampled param")
outcome("n", function() return param.p < 0.1 and 0 / 0 or param.p * 100 end)
outcome("yes", function() return param.p > 0.5 end)
outcome("word", function() return param.p > 0.5 and "high" or "low" end)
if param.p > 0.8 then error("a failed run") end
LUA
for k in 1 2; do
  "$DETENTE" mc "$TMP/t.lua" --runs 40 --seed 3 --shard $k/2 --out "$TMP/s$k.csv" -q
done
"$DETENTE" merge "$TMP/s1.csv" "$TMP/s2.csv" --out "$TMP/m.csv" -q || die "the untouched shards do not merge"
grep -q ',error,' "$TMP/m.csv" && grep -q ',NaN,' "$TMP/m.csv" || die "the batch lacks a failed run or a NaN"
ok=$(grep -m1 ',ok,NA$' "$TMP/s1.csv")
n=$(grep -n -m1 ',ok,NA$' "$TMP/s1.csv" | cut -d: -f1)
bad=$(grep -m1 ',error,' "$TMP/s1.csv" || grep -m1 ',error,' "$TMP/s2.csv")
[ -n "$ok" ] && [ -n "$bad" ] || die "no ok or error row to edit"
# tamper EXPR PATTERN: the row $n of shard 1 edited by sed EXPR must be refused.
tamper() {
  cp "$TMP/s1.csv.meta.json" "$TMP/x.csv.meta.json"
  sed "${n}s/$1/" "$TMP/s1.csv" >"$TMP/x.csv"
  cmp -s "$TMP/x.csv" "$TMP/s1.csv" && die "sed '$1' changed nothing"
  expect_fail 5 "$2" -- "$DETENTE" merge "$TMP/x.csv" "$TMP/s2.csv" --out "$TMP/m2.csv" -q
}
row="row $((n - 1)) \\(run [0-9]+\\)"
tamper ',ok,NA$/,zz,NA' "x.csv: $row: status 'zz' is not ok, limit or error"
tamper ',ok,NA$/,ok,boom' "$row: status ok with an error message"
tamper '^\([^,]*,[^,]*,[^,]*\),[^,]*,/\1,abc,' "$row: outcome 'n' is 'abc', not a value of the types"
tamper '^\([^,]*,[^,]*,[^,]*\),[^,]*,/\1,1e999,' "outcome 'n' is '1e999'"
tamper '^\([^,]*,[^,]*,[^,]*\),[^,]*,/\1, 5,' "outcome 'n' is ' 5'"
tamper ',\(TRUE\|FALSE\),/,maybe,' "outcome 'yes' is 'maybe'"
tamper '^\([^,]*,[^,]*\),[^,]*,/\1,0x10,' "param 'p' is '0x10', not a number"
# a failed run's outcomes are NA
m=$(grep -n -m1 ',error,' "$TMP/s1.csv" | cut -d: -f1)
if [ -n "$m" ]; then
  n=$m
  tamper '^\([^,]*,[^,]*,[^,]*\),NA,/\1,5,' "outcome 'n' is '5', but the run failed"
  tamper ',error,.*$/,error,NA' "an error without its message"
fi
echo "merge_tampered: ok"
