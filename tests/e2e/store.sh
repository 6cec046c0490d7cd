# store.sh - the database file: two writers at once, newer and foreign files refused.
. "$(dirname "$0")/lib.sh"

# Two processes create and write the same new database at once, many times:
# no "database is locked", and every write lands.
python3 - "$DATA/dump-small.json" <<'PY'
import json, sys
issues = json.load(open(sys.argv[1]))
for k in range(2):
    out = []
    for n in range(40):
        i = dict(issues[0])
        i.pop("timeline")
        i["number"] = 1000 * (k + 1) + n
        i["html_url"] = "https://github.com/w%d/r/issues/%d" % (k, i["number"])
        del i["repository_url"]
        out.append(i)
    json.dump(out, open("writer%d.json" % k, "w"))
PY
pids=()
for k in 0 1; do
	(
		for round in 1 2 3 4 5 6 7 8; do
			"$ISSUEMINE" import -q writer$k.json >/dev/null
			"$ISSUEMINE" import -q --repo w$k/extra "$DATA/dump-update.json" >/dev/null
		done
	) 2>"err$k" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || { cat err0 err1 >&2; fail "a concurrent writer failed"; }
done
assert_eq "$(cat err0 err1)" "" "stderr of the writers"
assert_eq "$(q 'SELECT count(*) FROM issues')" 82
assert_eq "$(q 'PRAGMA integrity_check')" ok
assert_eq "$(q 'PRAGMA journal_mode')" wal

# Two processes creating a new database at the same moment: neither may see
# "database is locked" (switching to WAL is not covered by the busy timeout).
for round in 1 2 3 4 5 6 7 8 9 10; do
	fresh="$TEST_DIR/fresh$round.db"
	"$ISSUEMINE" --db "$fresh" import -q writer0.json >/dev/null 2>"fresh0.err" &
	p0=$!
	"$ISSUEMINE" --db "$fresh" import -q writer1.json >/dev/null 2>"fresh1.err" &
	p1=$!
	wait $p0 || { cat fresh0.err >&2; fail "first opener of a new database failed"; }
	wait $p1 || { cat fresh1.err >&2; fail "second opener of a new database failed"; }
	assert_eq "$("$ISSUEMINE" --db "$fresh" sql --no-header 'SELECT count(*) FROM issues' | tr -d '\r')" 80
done

# A database from a newer issuemine is refused and left as it was.
python3 - <<'PY'
import sqlite3
db = sqlite3.connect("newer.db")
db.execute("CREATE TABLE t (x)")
db.execute("PRAGMA application_id = %d" % 0x49534D4E)
db.execute("PRAGMA user_version = 999")
db.commit()
db.close()
db = sqlite3.connect("foreign.db")
db.execute("CREATE TABLE songs (title)")
db.commit()
PY
sum=$(md5sum newer.db)
run 1 --db newer.db import "$DATA/dump-small.json"
one_line "$ERR"
assert_contains "$ERR" "newer.db: database schema version 999 is newer than this issuemine supports"
run 1 --db newer.db stats
assert_eq "$(md5sum newer.db)" "$sum" "newer.db checksum"
run 1 --db foreign.db import "$DATA/dump-small.json"
assert_contains "$ERR" "foreign.db: not an issuemine database"
printf 'garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage' >garbage.db
run 1 --db garbage.db stats
assert_contains "$ERR" "garbage.db: file is not a database"
run 1 --db garbage.db import "$DATA/dump-small.json"
one_line "$ERR"
