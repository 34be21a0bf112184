#!/usr/bin/env bash
# mc_resume_tampered.sh: --resume takes up only what a killed batch leaves: a
# torn or damaged LAST row is dropped and run again, but a damaged row with
# rows after it, or rows whose seeds are not the master seed's, were edited.
# Before, resume stopped reading at the first bad row and truncated the file
# there, silently (4 000 good rows dropped for one edited status); a master
# seed edited in the partial file gave a batch of two seeds' runs; a sampled
# param 'abc' was taken as missing. Now each is refused (exit 5) naming the
# row, and the file is left as it was.
source "$(dirname "$0")/data/mc_lib.sh"
cat > "$TMP/t.lua" <<'LUA'
scenario { title = "tampered resume", start = "2026-01-01", stop = "2026-01-02" }
param("p", dist.uniform(0, 1), "a sampled param")
outcome("n", function() return param.p * 100 end)
if param.p > 0.8 then error("a failed run") end
LUA
"$DETENTE" mc "$TMP/t.lua" --runs 60 --seed 5 -q --out "$TMP/all.csv" --summary "$TMP/all.json"
partial() {   # partial NAME: NAME.csv as a batch killed after its rows, from the finished one's sidecar
  sed 's/"rows": [0-9]*/"rows": 0/; s/"errors": [0-9]*/"errors": 0/' "$TMP/all.csv.meta.json" \
    >"$TMP/$1.csv.partial.json"
}
# tamper SED PATTERN: row 5 of a copy edited; resume must refuse and change nothing
tamper() {
  sed "6s/$1/" "$TMP/all.csv" >"$TMP/x.csv"; partial x
  cmp -s "$TMP/x.csv" "$TMP/all.csv" && die "sed '$1' changed nothing"
  cp "$TMP/x.csv" "$TMP/x.before"
  expect_fail 5 "$2" -- "$DETENTE" mc "$TMP/t.lua" --resume "$TMP/x.csv" -q
  cmp -s "$TMP/x.csv" "$TMP/x.before" || die "resume changed the file it refused"
}
tamper ',\(ok\|error\),/,zz,' "x.csv: row 5: status 'zz' is not ok, limit or error, and rows follow it"
tamper '^\([^,]*\),s[0-9]*,/\1,s1,' "row 5: seed 's1', but the batch's master seed gives s"
tamper '^\([^,]*,[^,]*\),[^,]*,/\1,abc,' "row 5: param 'p' is 'abc', not a number"
# the partial file's master seed edited: the rows are another seed's
cp "$TMP/all.csv" "$TMP/y.csv"; truncate -s 2000 "$TMP/y.csv"; partial y
sed -i 's/"seed": "5"/"seed": "6"/' "$TMP/y.csv.partial.json"
expect_fail 5 "row 1: seed 's[0-9]*', but the batch's master seed gives s" -- \
  "$DETENTE" mc "$TMP/t.lua" --resume "$TMP/y.csv" -q
# a damaged last row is what a kill leaves: dropped and run again, to the same bytes
n=$(grep -c '' "$TMP/all.csv")
head -n 30 "$TMP/all.csv" | sed '30s/,\(ok\|error\),/,zz,/' >"$TMP/z.csv"; partial z
"$DETENTE" mc "$TMP/t.lua" --resume "$TMP/z.csv" -q --summary "$TMP/z.json" 2>/dev/null ||
  die "a damaged last row was not taken up"
same "$TMP/all.csv" "$TMP/z.csv" "runs file resumed after a damaged last row ($n lines)"
same "$TMP/all.json" "$TMP/z.json" "summary resumed after a damaged last row"
echo "mc_resume_tampered: ok"
