# mc_db.sh: --db writes the batch to SQLite: it equals the runs file (read
# with Python's sqlite3), shard databases merge into the unsharded one, and a
# database without a finished batch is refused.
source "$(dirname "$0")/data/mc_lib.sh"
S="$DATA/mc_basic.lua"
CHECK="$HERE/../mc_db_check.py"
args=(--runs 120 --seed 4 --sweep scale=1,10 --threads 2 -q)
"$DETENTE" mc "$S" "${args[@]}" --out "$TMP/all.csv" --db "$TMP/all.sqlite" --summary "$TMP/all.json"
python3 "$CHECK" equal-csv "$TMP/all.sqlite" "$TMP/all.csv" >/dev/null || die "database differs from the CSV"
# the database changes nothing else
"$DETENTE" mc "$S" "${args[@]}" --out "$TMP/plain.csv" --summary "$TMP/plain.json"
same "$TMP/all.csv" "$TMP/plain.csv" "runs file with and without --db"
same "$TMP/all.json" "$TMP/plain.json" "summary with and without --db"
for k in 1 2 3; do
  "$DETENTE" mc "$S" "${args[@]}" --shard $k/3 --out "$TMP/s$k.csv" --db "$TMP/s$k.sqlite"
done
"$DETENTE" merge "$TMP"/s{2,3,1}.sqlite --db "$TMP/m.sqlite"
python3 "$CHECK" same "$TMP/all.sqlite" "$TMP/m.sqlite" >/dev/null || die "merged shard databases differ"
"$DETENTE" merge "$TMP"/s{1,2,3}.csv -q --db "$TMP/mc.sqlite"
python3 "$CHECK" same "$TMP/all.sqlite" "$TMP/mc.sqlite" >/dev/null || die "merge --db of runs files differs"
expect_fail 5 "runs are missing" -- "$DETENTE" merge "$TMP"/s{1,3}.sqlite --db "$TMP/x.sqlite"
[ ! -e "$TMP/x.sqlite" ] || die "a failed merge left its database"
expect_fail 5 "appears twice" -- "$DETENTE" merge "$TMP"/s{1,1,2,3}.sqlite --db "$TMP/x.sqlite"
expect_fail 2 "not both" -- "$DETENTE" merge "$TMP/s1.sqlite" "$TMP/s2.csv" --db "$TMP/x.sqlite"
expect_fail 2 "merge into a database" -- "$DETENTE" merge "$TMP"/s{1,2,3}.sqlite
# a batch that stops leaves a database without its batch record: refused
expect_fail 1 "not a column" -- "$DETENTE" mc "$DATA/mc_columns.lua" --runs 40 --seed 2 -q --db "$TMP/stop.sqlite"
expect_fail 5 "holds no finished batch" -- "$DETENTE" merge "$TMP/stop.sqlite" --db "$TMP/x.sqlite"
echo "ok: --db equals the runs file; shard databases merge"
