# fetch_lease.sh - one fetch of a search at a time: a second run refuses in
# one line naming the first, or waits with --wait and then only refreshes; a
# run killed with kill -9 leaves a lease whose process is gone, and the next
# run takes it over and resumes; a lease of another machine counts while its
# heartbeat is fresh.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
query='repo:acme/widgets is:issue is:closed'
host=$(hostname)

# lease_taken: waits until a run holds the lease (the database is made on its first answer).
lease_taken() {
	local i
	for i in $(seq 400); do
		if [ -e "$ISSUEMINE_DB" ] && [ "$(q 'SELECT count(*) FROM fetch_leases' 2>/dev/null)" = 1 ]; then
			return 0
		fi
		sleep 0.02
	done
	fail "no run took the lease"
}

fake_start --seed 51 --issues 150 --profile lean --latency 0.02
"$ISSUEMINE" fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets >first.out 2>first.err &
first=$!
lease_taken
assert_eq "$(q 'SELECT pid || " " || host FROM fetch_leases')" "$first $host"

# The same search again: refused at once, one line naming the run.
run 1 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "issuemine: fetch acme/widgets: another fetch of this search is running (pid $first on $host, since "
assert_contains "$ERR" "run with --wait"
# With --wait: it starts once the first is done, and finds nothing left to do.
"$ISSUEMINE" fetch --api rest --wait --api-url "$FAKE_URL" --format json acme/widgets >second.out 2>second.err &
second=$!
# Another search of the same database is not held up.
run 0 fetch --api rest -q --api-url "$FAKE_URL" --state open --max-issues 3 acme/widgets
wait $first || fail "the first fetch failed: $(cat first.err)"
wait $second || fail "the waiting fetch failed: $(cat second.err)"
assert_contains "$(cat first.out)" '"complete": true'
assert_contains "$(cat second.out)" '"refresh": true'
assert_contains "$(cat second.out)" '"new": 0,'
assert_contains "$(cat second.err)" "waiting for the fetch of this search by pid $first on $host"
# The closed issues are the server's, and the other search's three open ones are there.
server_closed=$(python3 - "$FAKE_URL" "$query" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/_fake/dump?" + urllib.parse.urlencode({"q": sys.argv[2]})
print(" ".join(str(i["number"]) for i in json.load(urllib.request.urlopen(url))["issues"]))
EOF
)
assert_eq "$(q "SELECT group_concat(number, ' ') FROM (SELECT number FROM issues WHERE state = 'closed' ORDER BY number)")" "$server_closed"
assert_eq "$(q "SELECT count(*) FROM issues WHERE state = 'open'")" 3
# Every timeline was fetched once, not once per run.
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 != 1' | wc -l)" 0
assert_eq "$(q 'SELECT count(*) FROM fetch_leases')" 0

# kill -9 leaves the lease behind; the next run sees its process is gone,
# takes it over and resumes.
fake_start --seed 52 --issues 150 --profile lean --latency 0.02
export ISSUEMINE_DB="$TEST_DIR/killed.db"
"$ISSUEMINE" fetch --api rest -q --api-url "$FAKE_URL" acme/widgets >/dev/null 2>&1 &
victim=$!
lease_taken
for i in $(seq 200); do
	[ "$(q 'SELECT count(*) FROM issues')" -gt 5 ] && break
	sleep 0.02
done
kill -9 $victim
wait $victim 2>/dev/null || true
assert_eq "$(q 'SELECT pid FROM fetch_leases')" "$victim"
run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"resumed": true'
fake_check_db "$query" >/dev/null
assert_eq "$(q 'SELECT count(*) FROM fetch_leases')" 0

# A lease held on another machine: its heartbeat decides.
api=$(q "SELECT api_url FROM fetch_queries")
now=$(date +%s)
python3 - "$ISSUEMINE_DB" "$api" "$query" "$now" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO fetch_leases VALUES (?, ?, 4242, 'elsewhere.example', 1, ?, ?)",
           (sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[4])))
db.commit()
EOF
run 1 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
assert_contains "$ERR" "(pid 4242 on elsewhere.example, since "
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('UPDATE fetch_leases SET heartbeat_at = heartbeat_at - 3600'); db.commit()" "$ISSUEMINE_DB"
run 0 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
assert_eq "$(q 'SELECT count(*) FROM fetch_leases')" 0
