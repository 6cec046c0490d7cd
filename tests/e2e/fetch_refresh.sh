# fetch_refresh.sh - run again after GitHub changed a few issues: the refresh searches
# only recently updated issues, fetches only the changed ones, sends the stored
# ETags (unchanged pages cost a 304), and ends with what the server holds.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GITHUB_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 21 --issues 220
query='repo:acme/widgets is:issue is:closed'
run 0 fetch -q --api-url "$FAKE_URL" acme/widgets
n=$(q "SELECT count(*) FROM issues")

# Three changes: a comment appended to the longest timeline (its first pages
# stay the same), a comment edited on its first page, a label added.
long=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id ORDER BY t.event_count DESC LIMIT 1")
long_events=$(q "SELECT event_count FROM timeline_state t JOIN issues i ON i.id = t.issue_id WHERE i.number = $long")
[ "$long_events" -gt 200 ] || fail "no timeline of more than two pages"
edited=$(q "SELECT DISTINCT i.number FROM issues i JOIN events e ON e.issue_id = i.id WHERE e.event = 'commented' AND i.number <> $long ORDER BY i.number LIMIT 1")
labeled=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE t.event_count < 20 AND i.number NOT IN ($long, $edited) AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.name = 'triaged') ORDER BY i.number LIMIT 1")
fake_change append "$long"
fake_change edit "$edited"
fake_change label "$labeled"

before=$(log_count 'True')
run 0 fetch -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"refresh": true'
assert_contains "$OUT" '"new": 0,'
assert_contains "$OUT" '"updated": 3,'
fake_check_db "$query" >/dev/null
assert_eq "$(q "SELECT count(*) FROM issues")" "$n"
assert_eq "$(q "SELECT count(*) FROM labels l JOIN issues i ON i.id = l.issue_id WHERE i.number = $labeled AND l.name = 'triaged'")" 1
assert_eq "$(q "SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $long")" $((long_events + 1))
assert_contains "$(q "SELECT e.body FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $edited AND e.event = 'commented' ORDER BY e.position LIMIT 1")" "EDIT: updated after change"

# The search asked only for issues updated since the first run (less a margin).
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and ' updated:>=' not in e['q']")" 0
# Timelines of the three changed issues only, every page with its stored ETag.
assert_eq "$(python3 - "$FAKE_LOG" "$before" <<'EOF'
import json, sys
nums = sorted({e["issue"] for e in map(json.loads, open(sys.argv[1]))
               if e["i"] >= int(sys.argv[2]) and e.get("kind") == "timeline"})
print(" ".join(map(str, nums)))
EOF
)" "$(printf '%s\n' "$long" "$edited" "$labeled" | sort -n | tr '\n' ' ' | sed 's/ $//')"
pages=$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $long")
assert_eq "$pages" $((long_events / 100 + 1)) "pages of #$long requested"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $long and e['status'] == 304")" $((pages - 1)) "304s for #$long"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and not e['inm']")" 0 "timeline requests without If-None-Match"
assert_contains "$OUT" "\"not_modified\": $(log_count "e['i'] >= $before and e['status'] == 304"),"

# Once more without changes: nothing is fetched.
before=$(log_count 'True')
run 0 fetch -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"updated": 0,'
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline'")" 0

