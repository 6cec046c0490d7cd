# fetch_reconcile.sh - issues that stop matching the search after they were
# stored (reopened, label removed, transferred, deleted) never show in a
# search again; a refresh finds them, updates their stored state, marks them,
# and counts them in its summary and in "stats".
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 31 --issues 260 --profile lean
query='repo:acme/widgets is:issue is:closed label:"module: onnx"'
run 0 fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
fake_check_db "$query" >/dev/null
n=$(q "SELECT count(*) FROM issues")
assert_eq "$(q "SELECT count(*) FROM fetch_members WHERE stopped_at IS NULL")" "$n"
set -- $(q "SELECT number FROM issues ORDER BY number LIMIT 6")
reopened=$1 unlabeled=$2 moved=$3 deleted=$4 edited=$5 untouched=$6

# Reopened and relabelled: a refresh's count of the search is short by two;
# the repository's recently updated issues (without the filters) name them,
# and their stored state becomes the server's. No full listing is needed.
fake_change reopen "$reopened"
fake_change "unlabel:module: onnx" "$unlabeled"
fake_change append "$edited"
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
assert_contains "$OUT" '"refresh": true'
assert_contains "$OUT" '"stopped": 2,'
assert_contains "$OUT" '"removed": 0'
assert_contains "$OUT" '"updated": 3,'
fake_check_db "$query" --stopped >/dev/null
assert_eq "$(q "SELECT state FROM issues WHERE number = $reopened")" open
assert_eq "$(q "SELECT count(*) FROM labels l JOIN issues i ON i.id = l.issue_id WHERE i.number = $unlabeled AND l.name = 'module: onnx'")" 0
assert_eq "$(q "SELECT group_concat(number || ':' || stopped_why, ' ') FROM (SELECT number, stopped_why FROM fetch_members WHERE stopped_at IS NOT NULL ORDER BY number)")" "$reopened:changed $unlabeled:changed"
assert_eq "$(q "SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $reopened AND e.event = 'reopened'")" 1
# The broad search: no label, no state; and no listing of the whole search.
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and e['q'].startswith('repo:acme/widgets is:issue created:') and 'updated:>=' in e['q']")" 1
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and 'updated:>=' not in e['q'] and 'per_page=100' in e['path']")" 0
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'issue'")" 0
# The filters see the new state: neither is a closed issue labelled "module: onnx" any more.
run 0 filter --count 'is:closed label:"module: onnx"'
assert_eq "$OUT" "$((n - 2))"

# Transferred and deleted: gone from every search, so the count stays short
# after the broad search; the whole search is listed once more, and each
# member it does not show is asked about: 301 (transferred), 410 (deleted).
fake_change transfer "$moved"
fake_change delete "$deleted"
before=$(log_count 'True')
run 0 fetch --api rest --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
assert_contains "$OUT" "2 stored issues no longer match the search"
assert_contains "$OUT" "2 gone from the repository"
fake_check_db "$query" --stopped >/dev/null
assert_eq "$(q "SELECT gone FROM issues WHERE number = $moved")" transferred
assert_eq "$(q "SELECT gone FROM issues WHERE number = $deleted")" deleted
assert_eq "$(q "SELECT group_concat(number || ':' || stopped_why, ' ') FROM (SELECT number, stopped_why FROM fetch_members WHERE stopped_at IS NOT NULL ORDER BY number)")" \
	"$reopened:changed $unlabeled:changed $moved:transferred $deleted:deleted"
# Only the two unseen members were asked about (the transfer answers 301, then its new home).
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'issue' and e['status'] != 200")" 2
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'issue' and e['issue'] == $untouched")" 0
# Their codes and sets would stay: the rows are kept, marked.
assert_eq "$(q "SELECT count(*) FROM issues")" "$n"

# stats counts them.
run 0 stats
assert_contains "$OUT" "4 no longer match their fetch's search, 2 gone from GitHub"
run 0 stats --format json
assert_contains "$OUT" '"no_longer_matching": 4'
assert_contains "$OUT" '"gone": 2'

# Nothing changed since: the count agrees, one search for changes and one count.
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
assert_contains "$OUT" '"stopped": 0,'
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search'")" 2
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') in ('issue', 'timeline')")" 0

# An issue that matches again (closed once more) is a member again, not stale.
fake_change close "$reopened"
run 0 fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
assert_contains "$OUT" '"stopped": 0,'
assert_eq "$(q "SELECT state || ' ' || (stopped_at IS NULL) FROM issues i JOIN fetch_members m ON m.number = i.number WHERE i.number = $reopened")" "closed 1"
run 0 stats --format json
assert_contains "$OUT" '"no_longer_matching": 3'
fake_check_db "$query" --stopped >/dev/null

# A database from before fetch_members (or whose rows were lost): the first
# refresh cannot count on them, lists the whole search once, and has them back.
members=$(q "SELECT count(*) FROM fetch_members WHERE stopped_at IS NULL")
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('DELETE FROM fetch_members'); db.commit()" "$ISSUEMINE_DB"
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
assert_contains "$OUT" '"new": 0,'
assert_contains "$OUT" '"updated": 0,'
assert_eq "$(q "SELECT count(*) FROM fetch_members WHERE stopped_at IS NULL")" "$members"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline'")" 0
