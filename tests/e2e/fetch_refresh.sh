# fetch_refresh.sh - run again after GitHub changed a few issues: the refresh searches
# only recently updated issues, fetches only the changed ones, sends the stored
# ETags (unchanged pages cost a 304), and ends with what the server holds.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 21 --issues 220
query='repo:acme/widgets is:issue is:closed'
run 0 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
n=$(q "SELECT count(*) FROM issues")

# Changes: a comment appended to the longest timeline (its first pages
# stay the same), a comment edited on its first page, a label added.
long=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id ORDER BY t.event_count DESC LIMIT 1")
long_events=$(q "SELECT event_count FROM timeline_state t JOIN issues i ON i.id = t.issue_id WHERE i.number = $long")
[ "$long_events" -gt 200 ] || fail "no timeline of more than two pages"
edited=$(q "SELECT DISTINCT i.number FROM issues i JOIN events e ON e.issue_id = i.id WHERE e.event = 'commented' AND i.number <> $long ORDER BY i.number LIMIT 1")
labeled=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE t.event_count < 20 AND i.number NOT IN ($long, $edited) AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.name = 'triaged') ORDER BY i.number LIMIT 1")
# A fourth is touched: its updated_at moves (a reaction, a body edit) but
# not its timeline, so every page comes back 304 and the stored events stay.
touched=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE t.event_count > 100 AND i.number NOT IN ($long, $edited, $labeled) ORDER BY i.number LIMIT 1")
[ -n "$touched" ] || fail "no second issue with a timeline of more than one page"
touched_events=$(q "SELECT group_concat(e.id || ':' || e.raw, '|') FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $touched ORDER BY e.position")
fake_change append "$long"
fake_change edit "$edited"
fake_change label "$labeled"
fake_change touch "$touched"
# A fifth, touched too, lost stored events behind the fetch's back: the 304s
# vouch for events that are not there, so its timeline is fetched again whole.
damaged=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE t.event_count > 5 AND i.number NOT IN ($long, $edited, $labeled, $touched) ORDER BY i.number LIMIT 1")
python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('DELETE FROM events WHERE position < 3 AND issue_id = (SELECT id FROM issues WHERE number = ?)', (int(sys.argv[2]),)); db.commit()" "$ISSUEMINE_DB" "$damaged"
fake_change touch "$damaged"

stored_pages=$(q "SELECT group_concat(i.number || ':' || json_array_length(t.pages), ' ') FROM issues i JOIN timeline_state t ON t.issue_id = i.id")
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"refresh": true'
assert_contains "$OUT" '"new": 0,'
assert_contains "$OUT" '"updated": 5,'
fake_check_db "$query" >/dev/null
assert_eq "$(q "SELECT count(*) FROM issues")" "$n"
assert_eq "$(q "SELECT count(*) FROM labels l JOIN issues i ON i.id = l.issue_id WHERE i.number = $labeled AND l.name = 'triaged'")" 1
assert_eq "$(q "SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $long")" $((long_events + 1))
assert_contains "$(q "SELECT e.body FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $edited AND e.event = 'commented' ORDER BY e.position LIMIT 1")" "EDIT: updated after change"
# The touched issue: its row is new, its events are the very rows stored before.
assert_contains "$(q "SELECT title FROM issues WHERE number = $touched")" "(updated)"
assert_eq "$(q "SELECT group_concat(e.id || ':' || e.raw, '|') FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = $touched ORDER BY e.position")" "$touched_events" "events of #$touched"
assert_eq "$(q "SELECT count(*) FROM timeline_state t JOIN issues i ON i.id = t.issue_id WHERE i.number = $touched AND t.issue_updated_at = i.updated_at")" 1

# The search asked only for issues updated since the first run (less a margin),
# and once for the count of the whole search (one result a page): the count
# agrees with what is stored, so no stored issue stopped matching.
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and ' updated:>=' not in e['q'] and 'per_page=100' in e['path']")" 0
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'search' and ' updated:>=' not in e['q']")" 1
assert_contains "$OUT" '"stopped": 0,'
# Timelines of the three changed issues only, every page with its stored ETag.
assert_eq "$(python3 - "$FAKE_LOG" "$before" <<'EOF'
import json, sys
nums = sorted({e["issue"] for e in map(json.loads, open(sys.argv[1]))
               if e["i"] >= int(sys.argv[2]) and e.get("kind") == "timeline"})
print(" ".join(map(str, nums)))
EOF
)" "$(printf '%s\n' "$long" "$edited" "$labeled" "$touched" "$damaged" | sort -n | tr '\n' ' ' | sed 's/ $//')"
pages=$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $long")
assert_eq "$pages" $((long_events / 100 + 1)) "pages of #$long requested"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $long and e['status'] == 304")" $((pages - 1)) "304s for #$long"
# Every stored page is asked for with its ETag; only pages past them without
# (and the damaged issue's, asked for again).
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] != $damaged and bool(e['inm']) != (e['page'] <= dict(map(int, x.split(':')) for x in '$stored_pages'.split())[e['issue']])")" 0 "timeline requests with If-None-Match iff the page was stored"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $damaged and e['page'] == 1 and e['status'] == 200 and not e['inm']")" 1 "#$damaged fetched again without ETags"
touched_pages=$(printf '%s\n' $stored_pages | sed -n "s/^$touched://p")
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $touched and e['status'] == 304")" "$touched_pages" "304s for #$touched"
assert_contains "$OUT" "\"not_modified\": $(log_count "e['i'] >= $before and e['status'] == 304"),"

# Once more without changes: nothing is fetched.
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"updated": 0,'
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline'")" 0

