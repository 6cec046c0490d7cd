# fetch_graphql_kill.sh - "issuemine fetch --api graphql" killed with kill -9
# after a random number of queries (read from the server's log), then run again,
# resumes from what it stored (the listing state, and the pending issues with
# their first timeline items): the final database is a clean run's, row for row,
# on a corpus of more than 1,000 issues and pull requests with timelines up to
# 350 items; after every kill integrity_check passes and every stored issue has
# its whole timeline; no issue stored before a kill is asked for again after it.
# A run killed in one mode is finished by the other.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
# A little latency: each query is answered after 20 ms, as GitHub's take longer still.
corpus=(--seed 23 --issues 1100 --profile lean --latency 0.02)
args=(--api graphql -q --api-url URL --state all --include-prs acme/widgets)
seed=${FETCH_KILL_SEED:-$RANDOM}
echo "fetch_graphql_kill: random seed $seed (FETCH_KILL_SEED=$seed repeats this run)"
RANDOM=$seed

fake_start "${corpus[@]}"
run 0 --db clean.db fetch "${args[@]/URL/$FAKE_URL}"
clean_queries=$(log_count 'True')
clean_pages=$(log_count 'e.get("op") in ("IssuemineSearch", "IssuemineCount")')
clean_conts=$(log_count 'e.get("op") == "IssuemineTimelines"')
clean=$(fake_canon clean.db)
[ "$(ISSUEMINE_DB=clean.db q "SELECT count(*) FROM issues")" -gt 1000 ] || fail "the test needs more than 1,000 issues"

fake_start "${corpus[@]}"
kills=0
at=""
span=$((clean_queries / 2))
: >stored.txt
for k in 1 2 3 4; do
	want=$((1 + RANDOM % span))
	at="$at $want"
	start=$(wc -l <"$FAKE_LOG")
	"$ISSUEMINE" fetch "${args[@]/URL/$FAKE_URL}" >/dev/null 2>kill.err &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $(($(wc -l <"$FAKE_LOG") - start)) -lt "$want" ]; do
		sleep 0.005
	done
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	span=$((span / 2 > 1 ? span / 2 : 1))
	if ! "$ISSUEMINE" sql --no-header 'SELECT 1' >/dev/null 2>kill-open.err; then
		assert_contains "$(cat kill-open.err)" "nothing fetched or imported yet" "after kill $k"
		continue
	fi
	assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity_check after kill $k (after$at queries)"
	assert_eq "$(q "SELECT count(*) FROM issues i LEFT JOIN timeline_state t ON t.issue_id = i.id WHERE t.issue_id IS NULL OR t.event_count <> (SELECT count(*) FROM events e WHERE e.issue_id = i.id)")" 0 "issues without their whole timeline after kill $k"
	# What the next run must not ask for again: the issues stored so far.
	echo "$(wc -l <"$FAKE_LOG") $(q "SELECT group_concat(number) FROM issues")" >>stored.txt
done
[ "$kills" -ge 3 ] || fail "only $kills of the runs were still going when killed (after$at queries)"

run 0 fetch --format json "${args[@]/URL/$FAKE_URL}"
assert_eq "$(fake_canon "$ISSUEMINE_DB")" "$clean" "database after $kills kills (after$at queries) vs a clean run"
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(q "SELECT count(*) FROM fetch_queries WHERE started_at IS NULL AND state IS NULL AND last_complete_at IS NOT NULL")" 1
# The listing resumed: at most a count and a page again per kill.
pages=$(log_count 'e.get("op") in ("IssuemineSearch", "IssuemineCount")')
[ "$pages" -le $((clean_pages + 2 * kills)) ] || fail "$pages search queries, clean run $clean_pages, $kills kills"
# Timelines resumed from their stored first items: a batch in flight is asked again, no more.
conts=$(log_count 'e.get("op") == "IssuemineTimelines"')
[ "$conts" -le $((clean_conts + 4 * kills)) ] || fail "$conts continuations, clean run $clean_conts, $kills kills"
python3 - "$FAKE_LOG" stored.txt <<'EOF' || fail "an issue stored before a kill was asked for again (after$at queries)"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for line in open(sys.argv[2]):
    index, _, numbers = line.strip().partition(" ")
    stored = {int(n) for n in numbers.split(",") if n}
    for e in entries[int(index):]:
        if e.get("op") == "IssuemineTimelines":
            again = stored & set(e.get("numbers") or [])
            assert not again, (e["i"], sorted(again)[:5])
EOF

# --- A REST run killed, finished by a GraphQL run (and the other way round). ---
fake_start --seed 9 --issues 400 --profile lean
run 0 --db rest.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
for first in rest graphql; do
	then=$([ $first = rest ] && echo graphql || echo rest)
	db=$first-then-$then.db
	want=$([ $first = rest ] && echo 150 || echo 5)
	start=$(wc -l <"$FAKE_LOG")
	"$ISSUEMINE" --db $db fetch --api $first -q --api-url "$FAKE_URL" acme/widgets >/dev/null 2>kill.err &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $(($(wc -l <"$FAKE_LOG") - start)) -lt "$want" ]; do
		sleep 0.005
	done
	kill -9 $pid 2>/dev/null || fail "the $first run ended before it was killed"
	wait $pid 2>/dev/null || true
	[ "$(ISSUEMINE_DB=$db q "SELECT count(*) FROM fetch_pending")" -gt 0 ] || fail "the killed $first run left nothing pending"
	run 0 --db $db fetch --api $then -q --api-url "$FAKE_URL" --format json acme/widgets
	assert_contains "$OUT" '"resumed": true'
	fake_py same-rows rest.db $db --rest-issues >/dev/null
	assert_eq "$(ISSUEMINE_DB=$db q "SELECT count(*) FROM fetch_pending")" 0
done
