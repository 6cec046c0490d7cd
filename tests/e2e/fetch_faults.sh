# fetch_faults.sh - 502s, dropped connections, truncated bodies, incomplete search
# results and secondary rate limits: the fetch ends with the same database as a
# clean run. Faults that persist end it with one line, keeping what it stored,
# and the same command finishes the job.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
corpus=(--seed 5 --issues 350 --search-cap 200)
query='repo:acme/widgets is:issue is:closed'

# The reference: a clean run.
fake_start "${corpus[@]}"
run 0 --db clean.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
ISSUEMINE_DB=clean.db fake_check_db "$query" >/dev/null
clean_requests=$(log_count 'True')

# The same corpus with every kind of fault, and secondary limits with and
# without retry-after (two in a row without it: the second wait doubles).
fake_start "${corpus[@]}" --p502 0.05 --pdrop 0.03 --ptruncate 0.05 --pincomplete 0.2 \
	--secondary "4:20,30,31,77:1"
run 0 fetch --api rest --api-url "$FAKE_URL" --format json acme/widgets
fake_check_db "$query" >/dev/null
assert_eq "$(fake_canon "$ISSUEMINE_DB")" "$(fake_canon clean.db)" "database after faults vs clean run"
for fault in 502 drop truncate truncate-json incomplete secondary; do
	grep -q "\"fault\": \"$fault\"" "$FAKE_LOG" || fail "no '$fault' fault was injected"
done
faults=$(log_count 'e["fault"] is not None')
drops=$(log_count 'e["fault"] == "drop"')
assert_eq "$(log_count 'True')" $((clean_requests + faults)) "requests: clean run plus one per fault"
# libcurl itself repeats a request whose kept-alive connection was dropped.
retries=$(printf '%s\n' "$OUT" | sed -n 's/.*"retries": \([0-9]*\),/\1/p')
[ "$retries" -ge $((faults - drops)) ] && [ "$retries" -le "$faults" ] ||
	fail "$retries retries counted for $faults faults ($drops dropped connections)"
# The waits, read from the request log: retry-after, and 60 s then 120 s without it.
waits=$(fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE")
assert_eq "$waits" '{"retry-after": 2, "secondary": 2, "reset": 0}'
assert_contains "$ERR" "secondary rate limit, waiting"
# Each timeline fetched whole once: faults only repeat the request that failed.
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 != 1' | wc -l)" 0

# Faults that do not go away: after the retries, one line, and what was stored stays.
fake_start "${corpus[@]}" --p502 0.02
db=persist.db
"$ISSUEMINE" --db $db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets >persist.out 2>persist.err &
pid=$!
for i in $(seq 300); do
	[ "$(grep -c '"kind": "timeline"' "$FAKE_LOG")" -gt 60 ] && break
	sleep 0.05
done
fake_config '{"p502": 1}'
rc=0
wait $pid || rc=$?
assert_eq "$rc" 1 "exit status after persistent 502s"
err=$(cat persist.err)
one_line "$err"
assert_contains "$err" 'GitHub answered 502 Bad Gateway (gave up after 8 tries)'
assert_contains "$err" "issues stored; run the same command again to resume"
stored=$(im --db $db sql --no-header "SELECT count(*) FROM issues" | tr -d '\r')
[ "$stored" -gt 30 ] || fail "only $stored issues kept after the failure"
assert_eq "$(im --db $db sql --no-header "SELECT count(*) FROM issues i LEFT JOIN timeline_state t ON t.issue_id = i.id WHERE t.issue_id IS NULL" | tr -d '\r')" 0 "issues without their timeline"
# GitHub recovers: the same command finishes, to the same database.
fake_config '{"p502": 0.02}'
run 0 --db $db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"resumed": true'
assert_eq "$(fake_canon $db)" "$(fake_canon clean.db)" "database after a failure and a rerun"
# Only the issue in flight may have been fetched again.
[ "$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 > 1' | wc -l)" -le 1 ] || fail "finished issues fetched twice"

# A write the database refuses (a trigger on the 8th event of any timeline):
# one line naming the issue, nothing of that issue stored, and the same command
# finishes once the database takes it.
fake_start "${corpus[@]}"
db=refused.db
printf '[]' >empty.json
run 0 --db $db import -q empty.json
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(\"CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.position = 7 BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END\"); db.commit()" $db
run 1 --db $db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "issuemine: fetch acme/widgets: timeline of acme/widgets#"
assert_contains "$ERR" "refused by a trigger"
refused=$(printf '%s' "$ERR" | sed -n 's/.*timeline of acme\/widgets#\([0-9]*\):.*/\1/p')
assert_eq "$(im --db $db sql --no-header "SELECT count(*) FROM issues WHERE number = $refused" | tr -d '\r')" 0
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('DROP TRIGGER refuse'); db.commit()" $db
run 0 --db $db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"resumed": true'
assert_eq "$(fake_canon $db)" "$(fake_canon clean.db)" "database after a refused write and a rerun"

# Backoff, unscaled: a fault's first retry comes at once (at most 0.2 s of
# jitter), the next ones after exponentially longer waits (0.25-0.5 s,
# 0.5-1 s, ...). Request 5 fails once; request 20 fails three times in a row.
fake_start --seed 5 --issues 40 --profile lean --fault-at "5:502,20:502,21:502,22:502"
ISSUEMINE_WAIT_SCALE=1 run 0 --db backoff.db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
ISSUEMINE_DB=backoff.db fake_check_db "$query" >/dev/null
python3 - "$FAKE_LOG" <<'PY'
import json, sys
log = {e["i"]: e for e in map(json.loads, open(sys.argv[1]))}
def gap(i):
    return log[i + 1]["t"] - log[i]["t"]
slack = 0.08  # the request's own round trip, and a loaded machine
for i, low, high in [(5, 0, 0.2), (20, 0, 0.2), (21, 0.25, 0.5), (22, 0.5, 1.0)]:
    assert log[i]["fault"] == "502", log[i]
    assert low <= gap(i) <= high + slack, "retry after request %d came after %.3f s, not in [%.2f, %.2f]" % (i, gap(i), low, high)
    assert log[i + 1]["path"] == log[i]["path"], "request %d is not the retry of %d" % (i + 1, i)
PY
