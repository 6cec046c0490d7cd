# fetch_graphql_faults.sh - a GraphQL fetch through every fault GitHub's GraphQL
# API has (502s, dropped connections, truncated bodies, secondary limits,
# RATE_LIMITED inside a 200, timeouts that halve the page and the batch,
# partial answers) stores the same rows as a clean REST fetch of the corpus
# (more than 1,000 issues and pull requests, timelines up to 350 items); a small
# rate limit is waited out until its reset, on GitHub's clock.
# A query over the node limit is asked again for less until it fits.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
corpus=(--seed 17 --issues 1100 --profile lean)
args=(--state all --include-prs acme/widgets)

fake_start "${corpus[@]}"
run 0 --db rest.db fetch --api rest -q --api-url "$FAKE_URL" "${args[@]}"
ISSUEMINE_DB=rest.db fake_check_db "repo:acme/widgets" >/dev/null
[ "$(ISSUEMINE_DB=rest.db q "SELECT count(*) FROM issues")" -gt 1000 ] || fail "the test needs more than 1,000 issues"
[ "$(ISSUEMINE_DB=rest.db q "SELECT max(event_count) FROM timeline_state")" -ge 350 ] || fail "no 350-item timeline"

# Requests 2 and 6 hit a secondary limit (with retry-after, then without), 9
# answers RATE_LIMITED; queries of more than 6,000 possible nodes time out.
fake_start "${corpus[@]}" --p502 0.04 --pdrop 0.03 --ptruncate 0.03 --secondary "2:1,6" \
	--gql-ppartial 0.12 --gql-timeout-nodes 6000 --gql-rate-limited "9:1"
run 0 fetch --api graphql -q --api-url "$FAKE_URL" --format json "${args[@]}"
fake_py same-rows rest.db "$ISSUEMINE_DB" >/dev/null
for fault in gql-timeout gql-partial 502 drop secondary rate-limited; do
	[ "$(log_count "e['fault'] == '$fault'")" -gt 0 ] || fail "no $fault fault"
done
[ "$(log_count 'e["fault"] in ("truncate", "truncate-json")')" -gt 0 ] || fail "no truncated answer"
# A query that timed out is asked again for less, never as it was.
python3 - "$FAKE_LOG" <<'EOF' || fail "a query that timed out was repeated as it was"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for k, e in enumerate(entries[:-1]):
    if e["fault"] == "gql-timeout":
        nxt = next(x for x in entries[k + 1:] if x.get("nodes") is not None)
        assert nxt["nodes"] < e["nodes"], (e, nxt)
EOF
# Pages and batches were halved: no query asked for more than the limit after the first.
[ "$(log_count 'e.get("op") == "IssuemineSearch" and e.get("gql") == "ok" and e["nodes"] > 6000')" = 0 ] ||
	fail "a search page over the timeout's size was answered"
fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE" >/dev/null
# Partial answers were never taken: every issue's events are whole (same-rows above),
# and no stored event came from a page the server cut.
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0

# --- A small rate limit: 4 points every 1.5 s, GitHub's clock 30 s ahead. ---
fake_start --seed 5 --issues 300 --profile lean --graphql-limit 4 --graphql-window 1.5 --clock-skew 30
run 0 --db onnx-rest.db fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
run 0 --db limit.db fetch --api graphql --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
fake_py same-rows onnx-rest.db limit.db >/dev/null
assert_contains "$ERR" "rate limit (graphql) exhausted"
[ "$(log_count 'e.get("gql") == "rate-limited"')" -le 2 ] || fail "asked again and again while limited"
[ "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["retries"])' "$OUT")" -gt 0 ] || fail "never waited"
fake_py waits "$FAKE_LOG" >/dev/null

# --- The node limit: a query over it (MAX_NODE_LIMIT_EXCEEDED) is asked again for less. ---
fake_start --seed 5 --issues 300 --profile lean --gql-node-limit 2000
run 0 --db nodes.db fetch --api graphql -q --api-url "$FAKE_URL" --label "module: onnx" acme/widgets
fake_py same-rows onnx-rest.db nodes.db >/dev/null
[ "$(log_count 'e.get("gql") == "node-limit"')" -gt 0 ] || fail "no query over the node limit"
assert_eq "$(log_count 'e.get("gql") == "ok" and e["nodes"] > 2000')" 0 "answered queries over the node limit"
