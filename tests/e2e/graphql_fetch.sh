# graphql_fetch.sh - fetching through GraphQL (the test driver graphql_fetch over
# graphql.h) stores the same rows as "issuemine fetch" over REST, through faults,
# timeouts, node limits, partial answers and rate limits, for a fraction of the
# requests and rate-limit points; and fails with one line where it must.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

: "${ISSUEMINE_GRAPHQL_FETCH:?run through ctest, which sets ISSUEMINE_GRAPHQL_FETCH}"
TOKEN="ghp_fakeGRAPHQL0123456789abcdefSECRET"
printf '%s\n' "$TOKEN" >token.txt
export GITHUB_TOKEN="$TOKEN"          # the driver's
export GH_ENTERPRISE_TOKEN="$TOKEN"    # issuemine fetch's, for a host that is not github.com
SERVER=(--seed 5 --issues 300 --token-file token.txt --gone 7:410)

# gql ARGS...: runs the driver; leaves $OUT, $ERR and its exit status in $RC.
gql() {
	RC=0
	"${WRAPPER[@]}" "$ISSUEMINE_GRAPHQL_FETCH" "$@" >"$TEST_DIR/.gout" 2>"$TEST_DIR/.gerr" || RC=$?
	OUT=$(cat "$TEST_DIR/.gout")
	ERR=$(cat "$TEST_DIR/.gerr")
}

# field JSON NAME: a number from the driver's one-line summary.
field() {
	python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

# log_sum EXPR: the sum of e["cost"] over the log entries e for which EXPR holds.
log_sum() {
	python3 - "$FAKE_LOG" "$1" <<'EOF'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(e.get("cost", 0) for e in entries if eval(sys.argv[2], {}, {"e": e})))
EOF
}

# --- A clean run: everything, pull requests too, against REST's rows. ---
fake_start "${SERVER[@]}"
run 0 --db rest.db fetch -q --api-url "$FAKE_URL" --state all --include-prs acme/widgets
rest_requests=$(log_count 'True')
before=$rest_requests
gql --api-url "$FAKE_URL" --db gql.db --include-prs acme/widgets "repo:acme/widgets"
[ "$RC" = 0 ] || fail "graphql_fetch failed: $ERR"
summary=$OUT
fake_py same-rows rest.db gql.db >/dev/null
assert_eq "$(field "$summary" skipped)" 1 "deleted issue skipped"
assert_eq "$(im --db gql.db sql --no-header "SELECT count(*) FROM issues WHERE number = 7" | tr -d '\r')" 0
# Timelines of up to 350 items are complete.
[ "$(im --db gql.db sql --no-header "SELECT max(c) FROM (SELECT count(*) c FROM events GROUP BY issue_id)" | tr -d '\r')" -ge 350 ] ||
	fail "no 350-item timeline"
assert_eq "$(im --db gql.db sql --no-header "SELECT count(*) FROM events WHERE api <> 'graphql'" | tr -d '\r')" 0
# What REST lacks is kept: the closer of closed issues, the subject of connected ones.
[ "$(im --db gql.db sql --no-header "SELECT count(*) FROM events WHERE event = 'closed' AND json_extract(raw, '$.closer.__typename') = 'PullRequest' AND json_extract(raw, '$.closer.mergeCommit.oid') = commit_id" | tr -d '\r')" -gt 0 ] ||
	fail "no closer kept"
[ "$(im --db gql.db sql --no-header "SELECT count(*) FROM events WHERE event = 'connected' AND json_extract(raw, '$.subject.number') IS NOT NULL" | tr -d '\r')" -gt 0 ] ||
	fail "no connected subject kept"
# Every query the client sent passed GitHub's validation, asked for rateLimit,
# and the points it counted are those the server charged.
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'graphql' and e.get('gql') not in ('ok', 'not-found')")" 0
assert_eq "$(field "$summary" points)" "$(log_sum "e['i'] >= $before and e.get('gql') in ('ok', 'not-found')")"
# The client knows what is left of the "graphql" limit: what the last answer said.
assert_eq "$(field "$summary" graphql_remaining)" \
	"$(python3 -c 'import json, sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["remaining"])' "$FAKE_LOG")"
gql_queries=$(field "$summary" graphql_queries)
[ "$gql_queries" -gt 0 ] && [ $((gql_queries * 20)) -le "$rest_requests" ] ||
	fail "$gql_queries GraphQL queries against $rest_requests REST requests"
[ $(($(field "$summary" points) * 5)) -le "$rest_requests" ] ||
	fail "$(field "$summary" points) points against $rest_requests REST requests"
# The same headers and token as REST.
assert_eq "$(log_count "e['i'] >= $before and (e['auth'] != 'ok' or e['accept'] != 'application/vnd.github+json' or e['method'] != 'POST' or e['resource'] != 'graphql')")" 0

# Issues only, one label: the query of a default fetch.
run 0 --db rest-onnx.db fetch -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
gql --api-url "$FAKE_URL" --db gql-onnx.db acme/widgets 'repo:acme/widgets is:issue is:closed label:"module: onnx"'
[ "$RC" = 0 ] || fail "graphql_fetch failed: $ERR"
fake_py same-rows rest-onnx.db gql-onnx.db >/dev/null

# GitHub Enterprise: the GraphQL endpoint of /api/v3 is /api/graphql.
before=$(log_count 'True')
gql --api-url "$FAKE_URL/api/v3" --db ghe.db --include-prs --first 5 --timeline 5 acme/widgets 'repo:acme/widgets created:<2019-03-01'
[ "$RC" = 0 ] || fail "graphql_fetch on /api/v3 failed: $ERR"
assert_eq "$(log_count "e['i'] >= $before and e['path'] != '/api/graphql'")" 0
[ "$(log_count "e['i'] >= $before")" -gt 1 ] || fail "no continuation on /api/v3"

# --- Faults, timeouts, partial answers and limits: still the same rows. ---
fake_start "${SERVER[@]}" --p502 0.05 --pdrop 0.03 --ptruncate 0.03 --secondary "2:1,6" \
	--gql-ppartial 0.15 --gql-timeout-nodes 6000 --gql-rate-limited "9:1"
gql --api-url "$FAKE_URL" --db faults.db --include-prs acme/widgets "repo:acme/widgets"
[ "$RC" = 0 ] || fail "graphql_fetch through faults failed: $ERR"
fake_py same-rows rest.db faults.db >/dev/null
[ "$(log_count 'e["fault"] == "gql-timeout"')" -gt 0 ] || fail "no timeout"
[ "$(log_count 'e["fault"] == "gql-partial"')" -gt 0 ] || fail "no partial answer"
[ "$(log_count 'e["fault"] in ("502", "drop", "truncate", "truncate-json")')" -gt 0 ] || fail "no fault"
assert_eq "$(log_count 'e["fault"] == "rate-limited"')" 1
[ "$(field "$OUT" first)" -lt 100 ] || fail "the page size was not halved: $OUT"
fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE" >/dev/null
# A timeout is never asked again at the same size.
python3 - "$FAKE_LOG" <<'EOF' || fail "a query that timed out was repeated as it was"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for k, e in enumerate(entries[:-1]):
    if e["fault"] == "gql-timeout":
        nxt = next(x for x in entries[k + 1:] if x.get("nodes") is not None)
        assert nxt["nodes"] < e["nodes"], (e, nxt)
EOF

# --- A small rate limit: waited out until its reset, on GitHub's clock. ---
fake_start "${SERVER[@]}" --graphql-limit 4 --graphql-window 1.5 --clock-skew 30
gql --api-url "$FAKE_URL" --db limit.db acme/widgets 'repo:acme/widgets is:issue is:closed label:"module: onnx"'
[ "$RC" = 0 ] || fail "graphql_fetch under a small rate limit failed: $ERR"
fake_py same-rows rest-onnx.db limit.db >/dev/null
[ "$(log_count 'e.get("gql") == "rate-limited"')" -le 2 ] || fail "asked again and again while limited"
[ "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["retries"])' "$OUT")" -gt 0 ] || fail "never waited"
fake_py waits "$FAKE_LOG" >/dev/null

# --- One-line errors, and nothing half stored. ---
fake_start "${SERVER[@]}"
before=$(log_count 'True')
GITHUB_TOKEN= GH_TOKEN= gql --api-url "$FAKE_URL" --db e1.db acme/widgets "repo:acme/widgets"
assert_eq "$RC" 1
one_line "$ERR"
assert_contains "$ERR" "graphql_fetch: the GraphQL API needs a token: set GH_TOKEN or GITHUB_TOKEN"
assert_eq "$(log_count "e['i'] >= $before")" 0
GITHUB_TOKEN="ghp_wrongTOKEN_SECRET" gql --api-url "$FAKE_URL" --db e2.db acme/widgets "repo:acme/widgets"
assert_eq "$RC" 1
one_line "$ERR"
assert_contains "$ERR" 'GitHub answered 401 Unauthorized: "Bad credentials" (check the token from GITHUB_TOKEN)'
assert_not_contains "$ERR" "wrongTOKEN"
fake_config '{"gql_node_limit": 50}'
gql --api-url "$FAKE_URL" --db e3.db acme/widgets "repo:acme/widgets"
assert_eq "$RC" 1
one_line "$ERR"
assert_contains "$ERR" "the query asks for too much"
assert_contains "$ERR" "exceeds the maximum limit of 50"
fake_config '{"gql_node_limit": 500000, "gql_ppartial": 1}'
gql --api-url "$FAKE_URL" --db e4.db acme/widgets "repo:acme/widgets"
assert_eq "$RC" 1
one_line "$ERR"
assert_contains "$ERR" "a partial answer 4 times in a row: SERVICE_UNAVAILABLE"
for db in e1.db e2.db e3.db e4.db; do
	[ ! -f "$db" ] || assert_eq "$(im --db $db sql --no-header "SELECT count(*) FROM issues" | tr -d '\r')" 0 "issues in $db"
done
assert_not_contains "$OUT$ERR$summary" "$TOKEN"
if grep -q "$TOKEN" "$FAKE_LOG"; then fail "the token is in the server log"; fi
for f in "$TEST_DIR"/*.db*; do
	if grep -q "$TOKEN" "$f"; then fail "the token is in $f"; fi
done
