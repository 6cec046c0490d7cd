# import.sh - "issuemine import": GitHub-shaped dumps, idempotence, updates, bad files.
. "$(dirname "$0")/lib.sh"

run 0 import "$DATA/dump-small.json"
assert_contains "$OUT" "5 issues (5 new, 0 updated, 0 unchanged)"
assert_eq "$(q 'SELECT count(*) FROM repositories')" 2
assert_eq "$(q 'SELECT count(*) FROM issues')" 5
assert_eq "$(q 'SELECT count(*) FROM issues WHERE is_pull_request')" 1
assert_eq "$(q "SELECT number FROM issues WHERE is_pull_request")" 150
assert_eq "$(q 'SELECT count(*) FROM events')" 11
assert_eq "$(q "SELECT group_concat(name, '|') FROM (SELECT name FROM labels l JOIN issues i ON i.id = l.issue_id WHERE i.number = 101 ORDER BY name)")" "module: onnx|triaged"
# Events land with their types, commit ids and cross-reference sources, in order.
assert_eq "$(q "SELECT group_concat(event, '|') FROM (SELECT event FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = 101 ORDER BY position)")" \
	"labeled|commented|cross-referenced|referenced|closed|commented"
assert_eq "$(q "SELECT commit_id FROM events WHERE event = 'closed' AND commit_id IS NOT NULL")" \
	a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2
assert_eq "$(q "SELECT source_repo || '#' || source_number || ' ' || source_state || ' ' || source_is_pr FROM events WHERE event = 'cross-referenced'")" \
	"pytorch/pytorch#150 closed 1"
assert_eq "$(q "SELECT body FROM events WHERE github_id = 5002")" "Thanks! 感谢 🎉"
assert_eq "$(q "SELECT json_extract(raw, '\$.user.login') FROM issues WHERE number = 7")" alice
assert_eq "$(q "SELECT count(*) FROM issues WHERE raw LIKE '%\"timeline\"%'")" 0 "raw keeps no timeline copy"

# Re-importing the same file changes nothing.
before=$(q "SELECT group_concat(stored_at || title, ';') FROM issues")
run 0 import "$DATA/dump-small.json"
assert_contains "$OUT" "(0 new, 0 updated, 5 unchanged)"
assert_eq "$(q "SELECT group_concat(stored_at || title, ';') FROM issues")" "$before"
assert_eq "$(q 'SELECT count(*) FROM events')" 11

# A newer updated_at replaces the row and its timeline.
run 0 import --format json "$DATA/dump-update.json"
assert_contains "$OUT" '"updated": 1'
assert_eq "$(q "SELECT title FROM issues WHERE number = 102")" "Question about dynamic axes (answered)"
assert_eq "$(q "SELECT count(*) FROM events e JOIN issues i ON i.id = e.issue_id WHERE i.number = 102")" 3
# ...and an older one does not.
run 0 import "$DATA/dump-small.json"
assert_eq "$(q "SELECT title FROM issues WHERE number = 102")" "Question about dynamic axes (answered)"

# A truncated file is refused with its name and position; nothing from it is written.
fresh="$TEST_DIR/fresh.db"
head -c 9000 "$DATA/dump-small.json" >truncated.json
run 1 --db "$fresh" import truncated.json
one_line "$ERR"
assert_contains "$ERR" "issuemine: truncated.json: line "
assert_contains "$ERR" "(byte "
# The database it created goes again; one an earlier file was imported into stays.
assert_eq "$(ls "$fresh"* 2>/dev/null)" "" "files of the database a failed import created"
run 1 --db "$fresh" import "$DATA/dump-small.json" truncated.json
assert_eq "$("$ISSUEMINE" --db "$fresh" sql --no-header 'SELECT count(*) > 0 FROM issues' | tr -d '\r')" 1
# Other malformed inputs.
printf '[{"number": 1, "html_url": "https://github.com/a/b/issues/1"},]' >comma.json
run 1 import comma.json
assert_contains "$ERR" "comma.json: line 1, column"
printf '{"not": "an array"' >obj.json
run 1 import obj.json
printf '[{"number": 3}]' >norepo.json
run 1 import norepo.json
assert_contains "$ERR" "use --repo"
run 0 import --repo x/y norepo.json
assert_eq "$(q "SELECT count(*) FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE r.full_name = 'x/y'")" 1
printf '[{"number": 4, "html_url": "https://github.com/a/b/issues/4", "timeline": {"x": 1}}]' >badtl.json
run 1 import badtl.json
assert_contains "$ERR" "a/b#4: \"timeline\" is not an array"
run 1 import /nonexistent/dump.json
assert_contains "$ERR" "/nonexistent/dump.json: No such file or directory"
# Standard input.
run 0 import --repo s/t - <"$DATA/dump-update.json"
assert_eq "$(q "SELECT count(*) FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE r.full_name = 's/t'")" 1
# Two files: the first imported, the second refused whole.
run 1 import "$DATA/dump-update.json" comma.json
assert_contains "$OUT" "imported 1 file"
