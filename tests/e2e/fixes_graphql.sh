# fixes_graphql.sh - "issuemine fixes fetch" on timelines fetched through GraphQL:
# what REST cannot say is resolved: a connected event's pull request (its
# subject), the pull request that closed an issue (ClosedEvent.closer, no
# lookup of the commit's pull requests), a referenced commit of a fork; links
# are recorded with api 'graphql'. The same issues fetched again over REST and
# resolved again get REST's links, and only those.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fixcheck() {
	python3 "$FAKE_DIR/fixcheck.py" "$@"
}
fake_start --seed 13 --issues 300 --profile lean --repo pytorch/pytorch
run 0 --db rest.db fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 --db rest.db filter --save study 'is:issue is:closed'
run 0 fetch --api graphql -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 filter --save study 'is:issue is:closed'
connected=$(q "SELECT count(*) FROM events WHERE event = 'connected'")
[ "$connected" -gt 0 ] || fail "no connected event"

before=$(log_count 'True')
run 0 fixes fetch --api-url "$FAKE_URL" --set study --format json
graphql=$OUT
stats=$(fixcheck db "$FAKE_URL" "$ISSUEMINE_DB" study)
echo "fixes_graphql: $stats"
# Connected events name their pull requests: none is left unresolved.
assert_eq "$(q "SELECT sum(connected) FROM fix_state")" 0
assert_contains "$graphql" '"events": 0,'
[ "$(q "SELECT count(*) FROM fixes WHERE via = 'connected'")" -gt 0 ] || fail "no link via a connected event"
[ "$(q "SELECT count(*) FROM fixes WHERE via = 'closer' AND role = 'fix'")" -gt 0 ] || fail "no fix via a closer"
assert_eq "$(q "SELECT count(*) FROM fixes WHERE api <> 'graphql'")" 0
# A closer named the pull request: its commit's pull requests were not looked up.
closers=$(q "SELECT group_concat(commit_id) FROM events WHERE event = 'closed' AND json_extract(raw, '$.closer.__typename') = 'PullRequest'")
python3 - "$FAKE_LOG" "$before" "$closers" <<'EOF' || fail "the pull requests of a commit a closer named were looked up"
import json, sys
closers = set(sys.argv[3].split(","))
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["i"] >= int(sys.argv[2]) and e.get("kind") == "commit_pulls":
        assert e["sha"] not in closers, e
EOF
# Forks' commits are where GraphQL's commitRepository says, as REST's commit_url.
[ "$(q "SELECT count(*) FROM fix_changes WHERE kind = 'commit' AND repo LIKE 'someone/%'")" -gt 0 ] || fail "no commit of a fork"
# The fewest requests for what GraphQL named.
assert_eq "$(log_count "e['i'] >= $before")" "$(fixcheck minimum "$FAKE_URL" "$ISSUEMINE_DB" study)" "requests made vs the minimum"

# The same over REST: connected events stay unresolved, counted.
run 0 --db rest.db fixes fetch -q --api-url "$FAKE_URL" --set study --format json
fixcheck db "$FAKE_URL" rest.db study >/dev/null
assert_eq "$(ISSUEMINE_DB=rest.db q "SELECT sum(connected) FROM fix_state")" "$connected"
# GraphQL resolves more of the same issues' fixes.
rest_fixes=$(ISSUEMINE_DB=rest.db q "SELECT count(*) FROM fixes WHERE role = 'fix'")
gql_fixes=$(q "SELECT count(*) FROM fixes WHERE role = 'fix'")
[ "$gql_fixes" -gt "$rest_fixes" ] || fail "$gql_fixes fixes over GraphQL, $rest_fixes over REST"

# Timelines fetched again over REST (after a change): resolved again, their links are
# REST's, the GraphQL ones are gone.
changed=$(q "SELECT i.number FROM issues i WHERE EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = 'connected') ORDER BY i.number LIMIT 1")
fake_change append "$changed"
run 0 fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
assert_eq "$(q "SELECT group_concat(DISTINCT e.api) FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $changed")" rest
run 0 fixes fetch -q --api-url "$FAKE_URL" --set study
fixcheck db "$FAKE_URL" "$ISSUEMINE_DB" study >/dev/null
assert_eq "$(q "SELECT group_concat(DISTINCT f.api) FROM fixes f JOIN issues i ON i.id = f.issue_id WHERE i.number = $changed")" rest
[ "$(q "SELECT connected FROM fix_state s JOIN issues i ON i.id = s.issue_id WHERE i.number = $changed")" -gt 0 ] ||
	fail "the connected events of #$changed over REST are not counted"
