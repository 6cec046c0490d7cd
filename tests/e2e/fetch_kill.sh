# fetch_kill.sh - kill -9 after a random number of requests, then the same
# command again (REST): the final database is the clean run's, integrity_check
# passes after every kill, and no finished issue is fetched twice.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
corpus=(--seed 9 --issues 400 --search-cap 200)
query='repo:acme/widgets is:issue is:closed'
seed=${FETCH_KILL_SEED:-$RANDOM}
echo "fetch_kill: random seed $seed (FETCH_KILL_SEED=$seed repeats this run)"
RANDOM=$seed

fake_start "${corpus[@]}"
run 0 --db clean.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
clean_requests=$(log_count 'True')
clean_searches=$(log_count 'e.get("kind") == "search"')
clean=$(fake_canon clean.db)

# Each kill lands after a random number of the run's requests, read from the
# server's log (not after a random time, which a loaded machine stretches):
# the first within the first half of a clean run, each next one within half
# of what the one before could have left, so every kill interrupts a run with
# work still to do.
fake_start "${corpus[@]}"
kills=0
at=""
span=$((clean_requests / 2))
for k in 1 2 3 4; do
	want=$((1 + RANDOM % span))
	at="$at $want"
	start=$(wc -l <"$FAKE_LOG")
	"$ISSUEMINE" fetch --api rest -q --api-url "$FAKE_URL" acme/widgets >/dev/null 2>kill.err &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $(($(wc -l <"$FAKE_LOG") - start)) -lt "$want" ]; do
		sleep 0.005
	done
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	span=$((span / 2 > 1 ? span / 2 : 1))
	# Killed before the database was created or migrated: nothing is stored yet.
	if ! "$ISSUEMINE" sql --no-header 'SELECT 1' >/dev/null 2>kill-open.err; then
		assert_contains "$(cat kill-open.err)" "nothing fetched or imported yet" "after kill $k"
		continue
	fi
	assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity_check after kill $k (after$at requests)"
	# Nothing half-written: every stored issue has its whole timeline.
	assert_eq "$(q "SELECT count(*) FROM issues i LEFT JOIN timeline_state t ON t.issue_id = i.id WHERE t.issue_id IS NULL OR t.event_count <> (SELECT count(*) FROM events e WHERE e.issue_id = i.id)")" 0 "issues without their whole timeline after kill $k"
done
[ "$kills" -ge 3 ] || fail "only $kills of the runs were still going when killed (after$at requests)"

run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_eq "$(fake_canon "$ISSUEMINE_DB")" "$clean" "database after $kills kills (after$at requests) vs clean run"
fake_check_db "$query" >/dev/null
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(q "SELECT count(*) FROM fetch_queries WHERE started_at IS NULL AND state IS NULL AND last_complete_at IS NOT NULL")" 1

# At most the issue in flight at each kill was fetched again; every other once.
twice=$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 > 1' | wc -l)
[ "$twice" -le "$kills" ] || fail "$twice issues fetched more than once after $kills kills (after$at requests)"
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | wc -l)" "$(q "SELECT count(*) FROM issues")"
# The listing resumed too: at most one search page repeated per kill.
searches=$(log_count 'e.get("kind") == "search"')
[ "$searches" -le $((clean_searches + kills)) ] || fail "$searches search requests, clean run $clean_searches, $kills kills"
