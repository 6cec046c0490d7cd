# fetch_graphql_refresh.sh - what a fetch does beyond a first complete run, in
# GraphQL mode, side by side with REST on the same server: a refresh stores
# only the issues whose updatedAt moved (GraphQL has no 304) and ends with the
# same rows as REST; issues that stop matching (reopened, relabelled,
# transferred, deleted) are found and marked as REST finds them; a search
# result GitHub no longer resolves is skipped and counted; a second that fills
# a page, or the search's 1,000-result cap, is listed whole; and one fetch of a
# search runs at a time.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
label=(--label "module: onnx")

# both ARGS...: a fetch through each API, into rest.db and gql.db; $OUT is GraphQL's.
both() {
	run 0 --db rest.db fetch --api rest -q --api-url "$FAKE_URL" --format json "$@"
	REST_OUT=$OUT
	GQL_BEFORE=$(log_count 'True')
	run 0 --db gql.db fetch --api graphql -q --api-url "$FAKE_URL" --format json "$@"
	fake_py same-rows rest.db gql.db ${SAME_ROWS:-} >/dev/null
	[ "${SAME_MEMBERS:-1}" = 1 ] || return 0
	assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT group_concat(number || ':' || coalesce(stopped_why, '-'), ' ') FROM (SELECT number, stopped_why FROM fetch_members ORDER BY number)")" \
		"$(ISSUEMINE_DB=rest.db q "SELECT group_concat(number || ':' || coalesce(stopped_why, '-'), ' ') FROM (SELECT number, stopped_why FROM fetch_members ORDER BY number)")" \
		"members of the search, and why they stopped matching"
}

# summary NAME: a count of the GraphQL run's JSON summary (issues.NAME, or NAME).
summary() {
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(d["issues"].get(sys.argv[2], d.get(sys.argv[2])))' "$OUT" "$1"
}

fake_start --seed 31 --issues 260 --profile lean
both "${label[@]}" acme/widgets
n=$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM issues")
long=$(ISSUEMINE_DB=gql.db q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE t.event_count > 100 ORDER BY t.event_count DESC LIMIT 1")
[ -n "$long" ] || fail "no timeline of more than one page"
set -- $(ISSUEMINE_DB=gql.db q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE i.number <> $long AND t.event_count BETWEEN 1 AND 100 ORDER BY i.number LIMIT 6")
reopened=$1 unlabeled=$2 moved=$3 deleted=$4 edited=$5 untouched=$6

# --- A refresh: only what changed is stored again. ---
fake_change reopen "$reopened"
fake_change "unlabel:module: onnx" "$unlabeled"
fake_change edit "$edited"
fake_change append "$long"
fake_change touch "$untouched"
both "${label[@]}" acme/widgets
assert_contains "$OUT" '"refresh": true'
assert_eq "$(summary stopped)" 2
assert_eq "$(summary updated)" 5 "issues stored again"
# GraphQL continued only timelines that changed (the long one; a 100-item one grew).
changed="$reopened, $unlabeled, $edited, $long, $untouched"
assert_eq "$(log_count "e['i'] >= $GQL_BEFORE and e.get('op') == 'IssuemineTimelines' and not set(e['numbers']) <= {$changed}")" 0 "continuations of unchanged issues"
[ "$(log_count "e['i'] >= $GQL_BEFORE and e.get('op') == 'IssuemineTimelines' and $long in e['numbers']")" -gt 0 ] || fail "the long timeline was not continued"
[ "$(summary points)" -lt 15 ] || fail "a refresh of five issues cost $(summary points) points"
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT state FROM issues WHERE number = $reopened")" open

# --- Transferred and deleted: the whole search again, then each unseen member asked. ---
fake_change transfer "$moved"
fake_change delete "$deleted"
both "${label[@]}" acme/widgets
assert_eq "$(summary stopped)" 2
assert_eq "$(summary removed)" 2
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT gone FROM issues WHERE number = $moved")" transferred
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT gone FROM issues WHERE number = $deleted")" deleted
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM issues")" "$n"
assert_eq "$(log_count "e['i'] >= $GQL_BEFORE and e.get('op') == 'IssuemineIssue'")" 2 "members asked about"
# Nothing changed since: a listing of what moved (within the refresh's margin) and a
# count; no timeline, no issue asked about, nothing stored again.
both "${label[@]}" acme/widgets
assert_eq "$(summary stopped)" 0
assert_eq "$(summary new)$(summary updated)" 00
assert_eq "$(log_count "e['i'] >= $GQL_BEFORE and e.get('op') in ('IssuemineTimelines', 'IssuemineIssue')")" 0
[ "$(log_count "e['i'] >= $GQL_BEFORE and e.get('op') == 'IssuemineSearch'")" -le 1 ] || fail "more than one page to list nothing new"

# --- A search result GitHub no longer resolves (deleted after it was indexed). ---
fake_start --seed 6 --issues 60 --profile lean
gone=$(python3 - "$FAKE_URL" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/_fake/dump?" + urllib.parse.urlencode({"q": "repo:acme/widgets is:issue is:closed"})
print(json.load(urllib.request.urlopen(url))["issues"][3]["number"])
EOF
)
fake_config "{\"gone\": \"$gone:410\"}"
rm -f rest.db gql.db
# REST lists it and finds its timeline gone: a member. GraphQL's result is null:
# never a member (so refreshes compare counts off by one until GitHub's index
# catches up).
SAME_MEMBERS=0 both acme/widgets
assert_eq "$(summary gone)" 1
assert_eq "$(ISSUEMINE_DB=gql.db q "SELECT count(*) FROM issues WHERE number = $gone")" 0

# --- Crowded seconds: 150 issues created in one second (more than a page), and 1,100
# (more than a search returns): listed whole, nothing missed. ---
for burst in 150 1100; do
	fake_start --seed 3 --issues 40 --profile lean --burst $burst
	rm -f rest.db gql.db
	# Past the cap, the GraphQL run lists the second over REST (the repository's
	# issues endpoint): those issues keep the object REST sent.
	SAME_ROWS=$([ $burst -gt 1000 ] && echo --rest-issues) both --state all --include-prs acme/widgets
	assert_eq "$(summary missed)" 0 "missed with a burst of $burst"
	[ "$(summary crowded)" -ge 1 ] || fail "no crowded second with a burst of $burst"
done
# Over the cap, the repository's issues endpoint (REST) lists the second, with the token.
[ "$(log_count "e['i'] >= $GQL_BEFORE and e.get('kind') == 'issues'")" -gt 0 ] || fail "the 1,100 were not listed by the issues endpoint"

# --- One GraphQL fetch of a search at a time. ---
fake_start --seed 51 --issues 150 --profile lean --latency 0.05
rm -f lease.db
"$ISSUEMINE" --db lease.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets >first.out 2>first.err &
first=$!
for i in $(seq 400); do
	[ -e lease.db ] && [ "$(ISSUEMINE_DB=lease.db q 'SELECT count(*) FROM fetch_leases' 2>/dev/null)" = 1 ] && break
	sleep 0.02
done
run 1 --db lease.db fetch --api graphql -q --api-url "$FAKE_URL" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "issuemine: fetch acme/widgets: another fetch of this search is running (pid $first on "
wait $first || fail "the first fetch failed: $(cat first.err)"
