# fetch_basic.sh - "issuemine fetch" against the fake GitHub: the query, the headers,
# complete timelines, the options, the summary, one-line errors, and the token.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

TOKEN="ghp_fakeTOKEN0123456789abcdefSECRET"
printf '%s\n' "$TOKEN" >token.txt
fake_start --seed 3 --issues 150 --token-file token.txt
export GH_ENTERPRISE_TOKEN="$TOKEN"
all_out=""

# A first fetch: every matching issue with its whole timeline.
run 0 fetch --api rest --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
all_out="$all_out$OUT$ERR"
fake_check_db 'repo:acme/widgets is:issue is:closed label:"module: onnx"' >/dev/null
n=$(q "SELECT count(*) FROM issues")
[ "$n" -gt 50 ] || fail "only $n issues fetched"
assert_contains "$OUT" "\"new\": $n,"
assert_contains "$OUT" '"complete": true'
assert_contains "$OUT" '"query": "repo:acme/widgets is:issue is:closed label:\"module: onnx\""'
assert_eq "$(q "SELECT count(*) FROM issues WHERE is_pull_request OR state <> 'closed'")" 0
assert_eq "$(q "SELECT count(*) FROM issues i WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.name = 'module: onnx')")" 0

# What the filters need is extracted: comment bodies, commit ids, cross-reference sources.
assert_eq "$(q "SELECT count(*) FROM events WHERE event = 'commented' AND (body IS NULL OR actor IS NULL)")" 0
[ "$(q "SELECT count(*) FROM events WHERE event = 'commented'")" -gt 100 ] || fail "few comments"
[ "$(q "SELECT count(*) FROM events WHERE event = 'closed' AND commit_id IS NOT NULL")" -gt 0 ] || fail "no closed event with a commit"
[ "$(q "SELECT count(*) FROM events WHERE event = 'closed' AND commit_id IS NULL")" -gt 0 ] || fail "no closed event without a commit"
assert_eq "$(q "SELECT count(*) FROM events WHERE event = 'cross-referenced' AND (source_repo IS NULL OR source_state IS NULL OR source_is_pr IS NULL)")" 0
[ "$(q "SELECT count(*) FROM events WHERE event IN ('referenced', 'connected', 'labeled')")" -gt 0 ] || fail "event types missing"
# Timelines longer than one page are complete.
[ "$(q "SELECT max(c) FROM (SELECT count(*) c FROM events GROUP BY issue_id)")" -gt 200 ] || fail "no long timeline"
assert_eq "$(q "SELECT count(*) FROM timeline_state t JOIN issues i ON i.id = t.issue_id WHERE t.event_count <> (SELECT count(*) FROM events e WHERE e.issue_id = i.id)")" 0
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(q "SELECT count(*) FROM repositories WHERE last_fetch_at = '2024-06-01T00:00:00Z'")" 1

# The request: headers, the query, 100 per page, the token as a Bearer.
assert_eq "$(log_count 'e["accept"] != "application/vnd.github+json" or e["api_version"] != "2022-11-28"')" 0
assert_eq "$(log_count 'not (e["user_agent"] or "").startswith("issuemine/")')" 0
assert_eq "$(log_count 'e["auth"] != "ok"')" 0
assert_eq "$(log_count 'e.get("kind") == "search" and not e["q"].startswith("repo:acme/widgets is:issue is:closed label:\"module: onnx\" created:")')" 0
assert_eq "$(log_count '"per_page=100" not in e["path"] and e.get("kind") in ("search", "timeline")')" 0
# Each timeline page once.
assert_eq "$(log_count 'e.get("kind") == "timeline"')" \
	"$(q "SELECT sum(json_array_length(pages)) FROM timeline_state")"
assert_eq "$(fake_py timeline-fetches "$FAKE_LOG" | awk '$2 != 1' | wc -l)" 0

# Run again: nothing changed, so one search and no timeline.
before=$(log_count 'True')
run 0 fetch --api rest --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
all_out="$all_out$OUT$ERR"
assert_contains "$OUT" "fetched acme/widgets: 0 issues (0 new, 0 updated, 0 unchanged)"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline'")" 0
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and 'updated:>=' not in e['q'] and 'per_page=100' in e['path']")" 0
# ...and one count of the whole search (one result a page), which says that
# none of the stored issues stopped matching.
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and 'per_page=1&' in e['path'] + '&'")" 1

# --state all --include-prs: pull requests and open issues too.
before=$(log_count 'True')
run 0 --db all.db fetch --api rest -q --api-url "$FAKE_URL" --state all --include-prs acme/widgets
all_out="$all_out$OUT$ERR"
ISSUEMINE_DB=all.db fake_check_db 'repo:acme/widgets' >/dev/null
[ "$(im --db all.db sql --no-header "SELECT count(*) FROM issues WHERE is_pull_request" | tr -d '\r')" -gt 0 ] || fail "no pull requests"
[ "$(im --db all.db sql --no-header "SELECT count(*) FROM issues WHERE state = 'open'")" != "0" ] || fail "no open issues"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and not e['q'].startswith('repo:acme/widgets created:')")" 0

# --max-issues: a trial, not a complete fetch; the next run lists everything.
run 0 --db trial.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 10 --format json acme/widgets
assert_contains "$OUT" '"complete": false'
assert_eq "$(im --db trial.db sql --no-header "SELECT count(*) FROM issues" | tr -d '\r')" 10
assert_eq "$(im --db trial.db sql --no-header "SELECT count(*) FROM fetch_queries WHERE last_complete_at IS NULL AND started_at IS NULL" | tr -d '\r')" 1
run 0 --db trial.db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"unchanged": 10'
assert_contains "$OUT" '"refresh": false'
ISSUEMINE_DB=trial.db fake_check_db 'repo:acme/widgets is:issue is:closed' >/dev/null

# --since: only issues created on or after the date.
run 0 --db since.db fetch --api rest -q --api-url "$FAKE_URL" --since 2021-01-01 acme/widgets
ISSUEMINE_DB=since.db fake_check_db 'repo:acme/widgets is:issue is:closed created:>=2021-01-01' >/dev/null
assert_eq "$(im --db since.db sql --no-header "SELECT count(*) FROM issues WHERE created_at < '2021-01-01'" | tr -d '\r')" 0
# ...and is a query of its own: a fetch of all issues is not a refresh of it.
run 0 --db since.db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"refresh": false'
ISSUEMINE_DB=since.db fake_check_db 'repo:acme/widgets is:issue is:closed' >/dev/null
assert_eq "$(im --db since.db sql --no-header "SELECT group_concat(query, '|') FROM (SELECT query FROM fetch_queries ORDER BY id)" | tr -d '\r')" \
	'repo:acme/widgets is:issue is:closed created:>=2021-01-01T00:00:00Z|repo:acme/widgets is:issue is:closed'

# Without a token: no Authorization header, and no warning about github.com's
# 60 requests an hour, since this is not github.com (fetch_auth.sh has the rest).
before=$(log_count 'True')
GH_ENTERPRISE_TOKEN= run 0 --db anon.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 2 acme/widgets
assert_not_contains "$ERR" "60 unauthenticated requests"
assert_eq "$(log_count "e['i'] >= $before and e['auth'] != 'none'")" 0

# One-line errors quoting GitHub, and nothing written: not even a database file.
GH_ENTERPRISE_TOKEN="ghp_wrongTOKEN_SECRET" run 1 --db e1.db fetch --api rest --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" 'issuemine: fetch acme/widgets: repository acme/widgets: GitHub answered 401 Unauthorized: "Bad credentials" (check the token from GH_ENTERPRISE_TOKEN)'
assert_not_contains "$ERR" "wrongTOKEN"
run 1 --db e2.db fetch --api rest --api-url "$FAKE_URL" nobody/nothing
one_line "$ERR"
assert_contains "$ERR" 'GitHub answered 404 Not Found: "Not Found"'
assert_contains "$ERR" "no such repository"
run 1 --db e3.db fetch --api rest --api-url "$FAKE_URL" --query 'bogus:thing' acme/widgets
one_line "$ERR"
assert_contains "$ERR" 'search "repo:acme/widgets is:issue is:closed bogus:thing": GitHub answered 422 Unprocessable Entity: "Validation Failed: qualifier bogus: is not supported"'
all_out="$all_out$OUT$ERR"
for db in e1.db e2.db e3.db; do
	[ ! -e $db ] && [ ! -e $db-wal ] && [ ! -e $db-shm ] || fail "$db was left behind by a fetch that stored nothing"
done
# ...but a database that was there stays, as it was.
cp all.db kept.db
run 1 --db kept.db fetch --api rest --api-url "$FAKE_URL" --query 'bogus:thing' acme/widgets
assert_eq "$(fake_canon kept.db)" "$(fake_canon all.db)" "a database a failed fetch found"
# A server that is not there: one line, at once (fetch_auth.sh times it).
run 1 --db e4.db fetch --api rest -q --api-url http://127.0.0.1:9 acme/widgets
one_line "$ERR"
assert_contains "$ERR" "(gave up after 2 tries)"
[ ! -e e4.db ] || fail "a fetch that reached nothing left e4.db"
all_out="$all_out$OUT$ERR"

# Usage errors.
run 2 fetch --api rest
run 2 fetch --api rest a/b c/d
run 2 fetch --api rest --since yesterday acme/widgets
run 2 fetch --api rest --api-url ftp://x acme/widgets
run 2 fetch --api rest --state merged acme/widgets
run 2 fetch --api rest not-a-repo
run 0 fetch --api rest --help
assert_contains "$OUT" "--label NAME"

# The token is nowhere: not in any database file, output, error or the server's log.
for f in "$TEST_DIR"/*.db*; do
	if grep -q "$TOKEN" "$f"; then fail "the token is in $f"; fi
done
assert_not_contains "$all_out" "$TOKEN"
if grep -q "$TOKEN" "$FAKE_LOG"; then fail "the token is in the server log"; fi

# A --query that widens the search beyond the repository is refused before any
# request: its results would be stored as issues of OWNER/NAME.
before=$(log_count 'True')
run 2 --db wide.db fetch --api rest --api-url "$FAKE_URL" --query 'repo:other/gadgets' acme/widgets
assert_contains "$ERR" "--query: repo:other/gadgets would search beyond acme/widgets"
assert_eq "$(log_count "e['i'] >= $before")" 0
run 2 fetch --api rest --api-url "$FAKE_URL" --label 'say "hi"' acme/widgets
assert_contains "$ERR" "cannot be searched for"
