# fetch_large.sh - more than 1,000 matching issues, GitHub's cap for one search:
# the fetch splits the search into created: windows and gets every issue and
# every timeline event, none twice.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

fake_start --seed 11 --issues 1650 --profile lean
query='repo:acme/widgets is:issue is:closed'

run 0 fetch -q --api-url "$FAKE_URL" --format json acme/widgets
checked=$(fake_check_db "$query")
n=$(q "SELECT count(*) FROM issues")
[ "$n" -gt 1000 ] || fail "the corpus has only $n matching issues; the test needs more than 1,000"
assert_contains "$checked" "$n issues"
assert_contains "$OUT" "\"new\": $n,"
assert_contains "$OUT" '"missed": 0'

# The search was split: several created: windows, none of them over the cap,
# and no page beyond it was asked for.
[ "$(log_count 'e.get("kind") == "search" and e["page"] == 1')" -gt 2 ] || fail "the search was not split"
assert_eq "$(log_count 'e.get("kind") == "search" and e["status"] != 200')" 0
assert_eq "$(log_count 'e.get("kind") == "search" and e["page"] > 10')" 0
# Every issue's timeline was fetched once, each page once.
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | wc -l)" "$n"
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 != 1' | wc -l)" 0
assert_eq "$(log_count 'e.get("kind") == "timeline"')" \
	"$(q "SELECT sum(json_array_length(pages)) FROM timeline_state")"
# Issues with more than 100 events are complete (the reference scripts stopped at 100).
[ "$(q "SELECT count(*) FROM timeline_state WHERE event_count > 100")" -gt 3 ] || fail "no long timelines"
assert_eq "$(q "PRAGMA integrity_check")" ok

# A window that grows past the cap while it is being listed: the fetch never
# asks for a page past the first (it continues from the last created_at
# seen), so GitHub's refusal of pages beyond the cap (422) cannot happen.
fake_start --seed 12 --issues 330 --profile lean --search-cap 300 --cap-change 3:200
run 0 --db grown.db fetch -q --api-url "$FAKE_URL" acme/widgets
ISSUEMINE_DB=grown.db fake_check_db "$query" >/dev/null
assert_eq "$(log_count 'e.get("kind") == "search" and e["status"] == 422')" 0
assert_eq "$(log_count 'e.get("kind") == "search" and e["page"] != 1')" 0
