# fetch_graphql.sh - "issuemine fetch --api graphql" stores the same rows as a
# REST fetch of the same corpus (more than 1,000 issues and pull requests,
# timelines up to 350 items, review and commit threads, event types added
# since 2024 and one no client knows by name), for a small fraction of the
# requests and rate-limit points; GitHub Enterprise's endpoint; and one-line
# errors where it must fail, with nothing half stored and the token nowhere.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

TOKEN="ghp_fakeGRAPHQL0123456789abcdefSECRET"
printf '%s\n' "$TOKEN" >token.txt
export GH_ENTERPRISE_TOKEN="$TOKEN"
corpus=(--seed 11 --issues 1150 --profile lean --token-file token.txt)
args=(--state all --include-prs acme/widgets)

# json_field NAME: a number of the last command's JSON summary.
json_field() {
	python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$OUT" "$1"
}

# log_sum EXPR: the sum of e["cost"] over the log entries e for which EXPR holds.
log_sum() {
	python3 - "$FAKE_LOG" "$1" <<'EOF'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(e.get("cost", 0) for e in entries if eval(sys.argv[2], {}, {"e": e})))
EOF
}

# --- The same rows as REST, for a fraction of the rate limit. ---
fake_start "${corpus[@]}"
run 0 --db rest.db fetch --api rest -q --api-url "$FAKE_URL" --format json "${args[@]}"
ISSUEMINE_DB=rest.db fake_check_db "repo:acme/widgets" >/dev/null
rest_requests=$(log_count 'True')
before=$rest_requests
# With a token, GraphQL is the default.
run 0 --db gql.db fetch -q --api-url "$FAKE_URL" --format json "${args[@]}"
assert_contains "$OUT" '"api": "graphql"'
assert_contains "$OUT" '"complete": true'
summary=$OUT
fake_py same-rows rest.db gql.db >/dev/null
n=$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM issues")
[ "$n" -gt 1000 ] || fail "only $n issues: the test needs more than 1,000"
[ "$(ISSUEMINE_DB=gql.db q "SELECT max(event_count) FROM timeline_state")" -ge 350 ] || fail "no 350-item timeline"
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE api <> 'graphql'")" 0
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM issues WHERE api <> 'graphql'")" 0
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM fetch_pending")" 0
# Review and commit threads carry their comments: author, time and text.
threads=$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE event IN ('line-commented', 'commit-commented') AND actor IS NOT NULL AND created_at IS NOT NULL AND body IS NOT NULL")
[ "$threads" -gt 0 ] || fail "no thread with its comments"
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE event IN ('line-commented', 'commit-commented') AND json_extract(raw, '$.comments.nodes[0].body') IS NULL")" 0
# Types added since 2024 are there, also the one the client's table lacks; what the
# REST timeline lacks is not.
for ev in project_v2_item_status_changed issue_type_added blocked_by_added issue_field_changed; do
	[ "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE event = '$ev' AND actor IS NOT NULL AND created_at IS NOT NULL")" -gt 0 ] || fail "no $ev event"
done
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE json_extract(raw, '$.__typename') IN ('PullRequestRevisionMarker', 'BaseRefChangedEvent')")" 0
# What REST lacks is kept: the closer of closed issues, the subject of connected ones.
[ "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE event = 'closed' AND json_extract(raw, '$.closer.__typename') = 'PullRequest' AND json_extract(raw, '$.closer.mergeCommit.oid') = commit_id")" -gt 0 ] ||
	fail "no closer kept"
[ "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM events WHERE event = 'connected' AND json_extract(raw, '$.subject.number') IS NOT NULL")" -gt 0 ] ||
	fail "no connected subject kept"
# Every query passed GitHub's validation and asked for rateLimit; the points the
# client counted are those the server charged.
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') != 'graphql'")" 0 "REST requests of a GraphQL fetch"
assert_eq "$(log_count "e['i'] >= $before and e.get('gql') not in ('ok', 'not-found')")" 0 "queries GitHub refused"
points=$(json_field points)
assert_eq "$points" "$(log_sum "e['i'] >= $before")"
queries=$(json_field graphql_queries)
assert_eq "$queries" "$(log_count "e['i'] >= $before")"
[ $((points * 20)) -le "$rest_requests" ] || fail "$points points against $rest_requests REST requests"
[ $((queries * 20)) -le "$rest_requests" ] || fail "$queries queries against $rest_requests REST requests"
# Long timelines were continued many at once: more issues than queries.
long=$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM timeline_state WHERE event_count > 100")
conts=$(log_count "e['i'] >= $before and e.get('op') == 'IssuemineTimelines'")
[ "$long" -gt "$conts" ] || fail "$conts continuations for $long long timelines"
assert_eq "$(log_count "e['i'] >= $before and (e['auth'] != 'ok' or e['accept'] != 'application/vnd.github+json' or e['method'] != 'POST' or e['resource'] != 'graphql')")" 0 "headers and token as REST's"

# A refresh with nothing changed lists what moved (nothing) and stores nothing again.
before=$(log_count 'True')
run 0 --db gql.db fetch -q --api-url "$FAKE_URL" --format json "${args[@]}"
assert_contains "$OUT" '"refresh": true'
assert_contains "$OUT" '"new": 0,'
assert_contains "$OUT" '"updated": 0,'
assert_eq "$(log_count "e['i'] >= $before and e.get('op') == 'IssuemineTimelines'")" 0 "continuations of a refresh"
fake_py same-rows rest.db gql.db >/dev/null

# Issues only, one label: the query of a default fetch.
run 0 --db rest-onnx.db fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
run 0 --db gql-onnx.db fetch --api graphql -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
fake_py same-rows rest-onnx.db gql-onnx.db >/dev/null
assert_eq "$(ISSUEMINE_DB=gql-onnx.db q "SELECT count(*) FROM issues WHERE is_pull_request")" 0

# GitHub Enterprise: the GraphQL endpoint of /api/v3 is /api/graphql on its host.
before=$(log_count 'True')
run 0 --db ghe.db fetch --api graphql -q --api-url "$FAKE_URL/api/v3" --max-issues 150 "${args[@]}"
assert_eq "$(log_count "e['i'] >= $before and e['path'] != '/api/graphql'")" 0 "requests off /api/graphql"
[ "$(ISSUEMINE_DB=ghe.db q "SELECT count(*) FROM issues")" -ge 150 ] || fail "the trial stored too little"

# --- One-line errors, nothing half stored, the token nowhere. ---
before=$(log_count 'True')
GH_ENTERPRISE_TOKEN= run 1 --db e1.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_eq "$ERR" "issuemine: fetch acme/widgets: --api graphql needs a token: set GH_ENTERPRISE_TOKEN, or log in with 'gh auth login --hostname 127.0.0.1'"
assert_eq "$(log_count "e['i'] >= $before")" 0 "requests without a token"
[ ! -e e1.db ] || fail "a fetch refused for want of a token left e1.db"
# Without a token the default is REST.
GH_ENTERPRISE_TOKEN= run 0 --db rest-trial.db fetch -q --api-url "$FAKE_URL" --max-issues 5 --format json acme/widgets
assert_contains "$OUT" '"api": "rest"'
assert_eq "$(log_count "e['i'] >= $before and e['resource'] == 'graphql'")" 0
GH_ENTERPRISE_TOKEN="ghp_wrongTOKEN_SECRET" run 1 --db e2.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" 'issuemine: fetch acme/widgets: repository acme/widgets: GitHub answered 401 Unauthorized: "Bad credentials" (check the token from GH_ENTERPRISE_TOKEN)'
assert_not_contains "$ERR" "wrongTOKEN"
run 1 --db e3.db fetch --api graphql -q --api-url "$FAKE_URL" acme/nothing
one_line "$ERR"
assert_eq "$ERR" "issuemine: fetch acme/nothing: repository acme/nothing (no such repository, or the token cannot see it)"
run 2 fetch --api soap acme/widgets
assert_contains "$ERR" "--api"
fake_config '{"gql_node_limit": 50}'
run 1 --db e4.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "the query asks for too much"
assert_contains "$ERR" "exceeds the maximum limit of 50"
fake_config '{"gql_node_limit": 500000, "gql_ppartial": 1}'
run 1 --db e5.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "a partial answer 4 times in a row: SERVICE_UNAVAILABLE"
for db in e1.db e2.db e3.db e4.db e5.db; do
	[ ! -f "$db" ] || assert_eq "$(ISSUEMINE_DB=$db q "SELECT count(*) FROM issues")" 0 "issues in $db"
done
if grep -q "$TOKEN" "$FAKE_LOG"; then fail "the token is in the server log"; fi
for f in "$TEST_DIR"/*.db*; do
	if grep -q "$TOKEN" "$f"; then fail "the token is in $f"; fi
done
