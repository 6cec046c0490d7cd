# fetch_kill.sh - kill -9 at random moments, then the same command again: the final
# database is the clean run's, integrity_check passes after every kill, and no
# finished issue is fetched twice.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
# A little latency makes the run last long enough to be killed in each phase.
corpus=(--seed 9 --issues 400 --search-cap 200 --latency 0.003)
query='repo:acme/widgets is:issue is:closed'
seed=${FETCH_KILL_SEED:-$RANDOM}
echo "fetch_kill: random seed $seed (FETCH_KILL_SEED=$seed repeats this run)"
RANDOM=$seed

fake_start "${corpus[@]}"
started=$(date +%s%N)
run 0 --db clean.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
clean_ms=$((($(date +%s%N) - started) / 1000000))
clean_searches=$(log_count 'e.get("kind") == "search"')
clean=$(fake_canon clean.db)

fake_start "${corpus[@]}"
kills=0
delays=""
for k in 1 2 3 4; do
	# The first kill comes early (while listing). The second lands within the
	# first 60% of a clean run's time, so it surely interrupts a run that has
	# almost all the work left; the others anywhere in the first 30%.
	if [ $k = 1 ]; then
		ms=$((50 + RANDOM % 200))
	elif [ $k = 2 ]; then
		ms=$((clean_ms / 10 + RANDOM % (clean_ms / 2 + 1)))
	else
		ms=$((RANDOM % (clean_ms * 3 / 10 + 1)))
	fi
	delay=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
	delays="$delays $delay"
	"$ISSUEMINE" fetch --api rest -q --api-url "$FAKE_URL" acme/widgets >/dev/null 2>kill.err &
	pid=$!
	sleep "$delay"
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	# Killed before the database was created or migrated: nothing is stored yet.
	if ! "$ISSUEMINE" sql --no-header 'SELECT 1' >/dev/null 2>kill-open.err; then
		assert_contains "$(cat kill-open.err)" "nothing fetched or imported yet" "after kill $k"
		continue
	fi
	assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity_check after kill $k (at$delays s)"
	# Nothing half-written: every stored issue has its whole timeline.
	assert_eq "$(q "SELECT count(*) FROM issues i LEFT JOIN timeline_state t ON t.issue_id = i.id WHERE t.issue_id IS NULL OR t.event_count <> (SELECT count(*) FROM events e WHERE e.issue_id = i.id)")" 0 "issues without their whole timeline after kill $k"
done
[ "$kills" -ge 2 ] || fail "only $kills of the runs were still going when killed (at$delays s)"

run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_eq "$(fake_canon "$ISSUEMINE_DB")" "$clean" "database after $kills kills (at$delays s) vs clean run"
fake_check_db "$query" >/dev/null
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(q "SELECT count(*) FROM fetch_queries WHERE started_at IS NULL AND state IS NULL AND last_complete_at IS NOT NULL")" 1

# At most the issue in flight at each kill was fetched again; every other once.
twice=$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 > 1' | wc -l)
[ "$twice" -le "$kills" ] || fail "$twice issues fetched more than once after $kills kills (at$delays s)"
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | wc -l)" "$(q "SELECT count(*) FROM issues")"
# The listing resumed too: at most one search page repeated per kill.
searches=$(log_count 'e.get("kind") == "search"')
[ "$searches" -le $((clean_searches + kills)) ] || fail "$searches search requests, clean run $clean_searches, $kills kills"
