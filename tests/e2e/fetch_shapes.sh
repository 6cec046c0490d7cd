# fetch_shapes.sh - the older and rarer shapes of GitHub's JSON, fetched and
# imported alike: the older API's "pull_request" object with every URL null
# on plain issues and cross-reference sources (not pull requests);
# line-commented and commit-commented events, whose time, author and text are
# in their "comments" array (every comment's text kept, and searchable);
# "ghost" users; a merged pull request's own closed event (no commit_id);
# strong ETags as well as weak ones.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 61 --issues 400 --profile lean
run 0 fetch --api rest -q --api-url "$FAKE_URL" --state all --include-prs acme/widgets
fake_check_db 'repo:acme/widgets' >/dev/null

# Plain issues with the older null pull_request object are issues.
old=$(q "SELECT count(*) FROM issues WHERE json_type(raw, '\$.pull_request') = 'object' AND json_type(raw, '\$.pull_request.html_url') = 'null'")
[ "$old" -gt 3 ] || fail "only $old issues in the older shape"
assert_eq "$(q "SELECT count(*) FROM issues WHERE json_type(raw, '\$.pull_request.html_url') = 'null' AND is_pull_request")" 0
server_issues=$(python3 - "$FAKE_URL" <<'EOF'
import json, sys, urllib.request
dump = json.load(urllib.request.urlopen(sys.argv[1] + "/_fake/dump?q=repo:acme/widgets"))
print(sum(1 for i in dump["issues"] if not i["is_pr"]))
EOF
)
run 0 filter --count 'is:issue'
assert_eq "$OUT" "$server_issues" "issues by is:issue"
# ...and so are cross-reference sources in that shape.
srcs=$(q "SELECT count(*) FROM events WHERE event = 'cross-referenced' AND json_type(raw, '\$.source.issue.pull_request.html_url') = 'null'")
[ "$srcs" -gt 3 ] || fail "only $srcs cross-reference sources in the older shape"
assert_eq "$(q "SELECT count(*) FROM events WHERE event = 'cross-referenced' AND json_type(raw, '\$.source.issue.pull_request.html_url') = 'null' AND source_is_pr <> 0")" 0
[ "$(q "SELECT count(*) FROM events WHERE event = 'cross-referenced' AND source_is_pr = 1")" -gt 3 ] || fail "no pull request sources"

# line-commented and commit-commented: time, author and text from their comments.
for ev in line-commented commit-commented; do
	[ "$(q "SELECT count(*) FROM events WHERE event = '$ev'")" -gt 3 ] || fail "few $ev events"
	assert_eq "$(q "SELECT count(*) FROM events WHERE event = '$ev' AND (created_at IS NULL OR actor IS NULL OR body IS NULL OR commit_id IS NULL)")" 0 "$ev events missing a column"
done
# Every comment's text is kept, in order, and the time and author are the first comment's.
python3 - "$ISSUEMINE_DB" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT body, created_at, actor, raw FROM events WHERE event IN "
                  "('line-commented', 'commit-commented')").fetchall()
several = 0
for body, created, actor, raw in rows:
    comments = json.loads(raw)["comments"]
    several += len(comments) > 1
    assert body == "\n\n".join(c["body"] for c in comments), body
    assert created == comments[0]["created_at"] and actor == comments[0]["user"]["login"]
assert several > 0, "no event with several comments"
EOF
run 0 filter --count 'comments:/review line 1/'
[ "$OUT" -gt 0 ] || fail "the second comment of a review thread is not searchable"

# Deleted users are "ghost", as GitHub shows them.
[ "$(q "SELECT count(*) FROM events WHERE actor = 'ghost'")" -gt 0 ] || fail "no ghost actors"
[ "$(q "SELECT count(*) FROM issues WHERE author = 'ghost'")" -gt 0 ] || fail "no ghost authors"

# A merged pull request closes in an event of its own, without a commit;
# reviews carry the commit they reviewed.
merged=$(q "SELECT count(*) FROM issues i WHERE EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = 'merged')")
[ "$merged" -gt 3 ] || fail "few merged pull requests"
assert_eq "$(q "SELECT count(*) FROM issues i WHERE EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = 'merged' AND e.commit_id IS NOT NULL) AND EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = 'closed' AND e.commit_id IS NULL)")" "$merged"
assert_eq "$(q "SELECT count(*) FROM events WHERE event = 'reviewed' AND commit_id IS NULL")" 0

# Strong ETags are sent back as they came, and answered 304.
strong=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE json_extract(t.pages, '\$[0].etag') NOT LIKE 'W/%' AND t.event_count BETWEEN 1 AND 99 ORDER BY i.number LIMIT 1")
[ -n "$strong" ] || fail "no timeline page with a strong ETag"
weak=$(q "SELECT i.number FROM issues i JOIN timeline_state t ON t.issue_id = i.id WHERE json_extract(t.pages, '\$[0].etag') LIKE 'W/%' AND t.event_count BETWEEN 1 AND 99 ORDER BY i.number LIMIT 1")
fake_change touch "$strong" "$weak"
before=$(log_count 'True')
run 0 fetch --api rest -q --api-url "$FAKE_URL" --state all --include-prs acme/widgets
for n in $strong $weak; do
	assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'timeline' and e['issue'] == $n and e['status'] != 304")" 0 "pages of #$n not answered 304"
done

# The same objects imported from a dump give the same columns.
python3 - "$ISSUEMINE_DB" dump.json <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
out = []
for iid, raw in db.execute("SELECT id, raw FROM issues ORDER BY number"):
    issue = json.loads(raw)
    issue["timeline"] = [json.loads(r) for (r,) in db.execute(
        "SELECT raw FROM events WHERE issue_id = ? ORDER BY position", (iid,))]
    out.append(issue)
json.dump(out, open(sys.argv[2], "w"))
EOF
run 0 --db imported.db import -q --repo acme/widgets dump.json
columns="SELECT i.number, i.is_pull_request, i.state, i.author, e.position, e.event, e.created_at, e.actor, e.commit_id, e.body, e.source_repo, e.source_number, e.source_state, e.source_is_pr FROM events e JOIN issues i ON i.id = e.issue_id ORDER BY 1, 5"
assert_eq "$(im --db imported.db sql "$columns" | md5sum)" "$(im sql "$columns" | md5sum)" "columns of imported and fetched events"
run 0 --db imported.db filter --count 'is:issue'
assert_eq "$OUT" "$server_issues" "imported issues by is:issue"
