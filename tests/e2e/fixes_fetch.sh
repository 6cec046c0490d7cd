# fixes_fetch.sh - "issuemine fixes fetch" against the fake GitHub: every fix and
# linked change of a 300-issue sample stored with all its files and patches,
# in the fewest requests the endpoints allow; a rerun makes only 304 requests;
# file pagination, GitHub's 3,000-file cap, missing patches, gone changes;
# "fixes list" and "fixes show"; one-line errors.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fixcheck() {
	python3 "$FAKE_DIR/fixcheck.py" "$@"
}
fake_start --seed 11 --issues 520 --profile lean --repo pytorch/pytorch
run 0 fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 filter --save all 'is:issue is:closed'
run 0 sample --from all --n 300 --seed 4 --save study
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study'")" 300

# Before any fetch, the list says there is no fix data.
run 0 fixes list --set study
assert_contains "$OUT" "no fix data: run 'issuemine fixes fetch'"

# Large changes, chosen from what the sample's timelines name: a pull request
# with more files than GitHub lists (3,100), a commit with three pages of
# files, and a commit GitHub blocks (451).
in_study="issue_id IN (SELECT issue_id FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study')"
big_pr=$(q "SELECT lower(source_repo) || '#' || source_number FROM events WHERE $in_study AND event = 'cross-referenced' AND source_is_pr AND source_repo = 'pytorch/pytorch' ORDER BY id LIMIT 1")
big_commit=$(q "SELECT commit_id FROM events WHERE $in_study AND event = 'closed' AND commit_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 1")
blocked=$(q "SELECT commit_id FROM events WHERE $in_study AND event = 'referenced' AND json_extract(raw, '$.commit_url') LIKE '%/pytorch/pytorch/%' ORDER BY id LIMIT 1")
[ -n "$big_pr" ] && [ -n "$big_commit" ] && [ -n "$blocked" ] || fail "the sample names too few changes"
fake_config "{\"fix_files\": {\"pr:$big_pr\": 3100, \"commit:pytorch/pytorch@$big_commit\": 650}, \"fix_gone\": {\"commit:pytorch/pytorch@$blocked\": 451}}"

before=$(log_count 'True')
run 0 fixes fetch --api-url "$FAKE_URL" --set study --format json
summary=$OUT
stats=$(fixcheck db "$FAKE_URL" "$ISSUEMINE_DB" study)
echo "fixes_fetch: $stats"
assert_contains "$stats" '"issues": 300'
# The fewest requests: one per commit page (300 files each), one for each
# closing commit's pull requests, one per pull request and one per 100 of its
# files; one for a change that is gone.
minimum=$(fixcheck minimum "$FAKE_URL" "$ISSUEMINE_DB" study)
made=$(log_count "e['i'] >= $before")
assert_eq "$made" "$minimum" "requests made vs the minimum"
assert_contains "$summary" "\"requests\": $made"
assert_eq "$(log_count "e['i'] >= $before and e['status'] == 304")" 0

# What was stored: everything the sample names, of every kind.
assert_eq "$(q "SELECT count(*) FROM fix_state WHERE $in_study")" 300
[ "$(q "SELECT count(*) FROM fixes WHERE role = 'fix'")" -gt 20 ] || fail "few fixes"
[ "$(q "SELECT count(*) FROM fixes WHERE role = 'linked'")" -gt 20 ] || fail "few linked changes"
for via in closed referenced cross-referenced merged-from; do
	[ "$(q "SELECT count(*) FROM fixes WHERE via = '$via'")" -gt 0 ] || fail "no link via $via"
done
[ "$(q "SELECT count(*) FROM fix_changes WHERE kind = 'pr' AND merged = 0 AND state = 'closed'")" -gt 0 ] || fail "no closed unmerged pull request"
[ "$(q "SELECT count(*) FROM fix_changes WHERE kind = 'pr' AND state = 'open'")" -gt 0 ] || fail "no open pull request"
[ "$(q "SELECT count(*) FROM fix_changes WHERE repo LIKE 'someone/%' AND status = 'stored'")" -gt 0 ] || fail "no change of a fork"
assert_eq "$(q "SELECT count(*) FROM fix_changes WHERE kind = 'pr' AND number = ${big_pr#*#} AND file_count = 3100 AND files_stored = 3000 AND truncated = 1")" 1
assert_eq "$(q "SELECT count(*) FROM fix_changes WHERE sha = '$big_commit' AND file_count = 650 AND files_stored = 650 AND truncated = 0")" 1
assert_eq "$(q "SELECT count(*) FROM fix_changes WHERE sha = '$blocked' AND status = 'gone' AND http_status = 451")" 1
for status in 404 422; do
	[ "$(q "SELECT count(*) FROM fix_changes WHERE status = 'gone' AND http_status = $status")" -gt 0 ] || fail "no change gone with $status"
done
[ "$(q "SELECT count(*) FROM fix_files WHERE has_patch = 0 AND patch IS NULL")" -gt 0 ] || fail "no file without a patch"
assert_eq "$(q "SELECT count(*) FROM fix_changes c WHERE files_stored <> (SELECT count(*) FROM fix_files f WHERE f.change_id = c.id)")" 0
# Commit pages were followed (Link rel="next"), pull files asked 100 at a time.
[ "$(log_count "e['i'] >= $before and e.get('kind') == 'commit' and e.get('page') == 3")" -ge 1 ] || fail "no third page of a commit's files"
assert_eq "$(log_count "e['i'] >= $before and e.get('kind') == 'pull_files' and 'per_page=100' not in e['path']")" 0
# The connected events: counted in the summary, unresolvable over REST.
connected=$(q "SELECT count(*) FROM events WHERE $in_study AND event = 'connected'")
[ "$connected" -gt 0 ] || fail "no connected event in the sample"
assert_contains "$summary" "\"events\": $connected"
assert_contains "$summary" "connected events name no pull request over REST"
assert_contains "$summary" '"done": 300'

# A rerun asks only about pull requests that can still change, and gets 304s.
before=$(log_count 'True')
run 0 fixes fetch --api-url "$FAKE_URL" --set study --format json
unmerged=$(q "SELECT count(*) FROM fix_changes WHERE kind = 'pr' AND status = 'stored' AND merged = 0")
assert_eq "$(log_count "e['i'] >= $before")" "$unmerged" "requests of a rerun"
assert_eq "$(log_count "e['i'] >= $before and e['status'] != 304")" 0 "rerun requests other than 304"
assert_contains "$OUT" "\"unchanged\": $unmerged"
assert_contains "$OUT" '"resolved_before": 300'
fixcheck db "$FAKE_URL" "$ISSUEMINE_DB" study >/dev/null
# --refresh asks about everything, conditionally: 304s, and the gone ones again.
canon=$(fixcheck canon "$ISSUEMINE_DB")
before=$(log_count 'True')
run 0 fixes fetch -q --api-url "$FAKE_URL" --set study --refresh
assert_eq "$(log_count "e['i'] >= $before and e['status'] == 200")" 0 "refresh requests answered 200"
[ "$(log_count "e['i'] >= $before and e['status'] == 304")" -gt "$unmerged" ] || fail "refresh asked about little"
assert_eq "$(fixcheck canon "$ISSUEMINE_DB")" "$canon" "fix tables after --refresh"
assert_contains "$OUT" "fixes of set 'study': 300 issues"

# fixes list: a table, CSV (a row per link, or per issue without), JSON.
run 0 fixes list --set study
assert_not_contains "$OUT" "no fix data"
links=$(q "SELECT count(*) FROM fixes WHERE $in_study")
bare=$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study' AND NOT EXISTS (SELECT 1 FROM fixes f WHERE f.issue_id = m.issue_id)")
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" $((1 + links + bare))
assert_contains "$(printf '%s\n' "$OUT" | head -1)" "ISSUE"
run 0 fixes list --set study --format csv
assert_eq "$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')" "issue,resolved,role,via,kind,repository,number,sha,status,state,merged,files,additions,deletions,truncated,title,url"
run 0 fixes list --set study --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), sum(len(i["changes"]) for i in d))')" "300 $links"

# fixes show: one issue's changes with their files; --patch; JSON with patches.
issue=$(q "SELECT r.full_name || '#' || i.number FROM fixes f JOIN fix_changes c ON c.id = f.change_id JOIN issues i ON i.id = f.issue_id JOIN repositories r ON r.id = i.repo_id WHERE f.role = 'fix' AND c.kind = 'pr' AND c.status = 'stored' AND c.files_stored BETWEEN 2 AND 20 ORDER BY i.number LIMIT 1")
run 0 fixes show "$issue"
assert_contains "$OUT" "$issue: fixes resolved"
assert_contains "$OUT" "fix  pr pytorch/pytorch#"
assert_not_contains "$OUT" "@@ -"
run 0 fixes show --patch "$issue"
assert_contains "$OUT" "@@ -"
run 0 fixes show --format json "https://github.com/${issue%#*}/issues/${issue#*#}"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["resolved"] and d["changes"], d
for c in d["changes"]:
    if c["status"] == "stored":
        assert len(c["files"]) == c["files_stored"], c
        for f in c["files"]:
            assert f["has_patch"] == (f["patch"] is not None), f
' || fail "fixes show --format json"

# One-line errors, nothing written.
run 1 fixes fetch --api-url "$FAKE_URL" --set nosuch
one_line "$ERR"
assert_eq "$ERR" "issuemine: fixes: no set named 'nosuch' (see 'issuemine sets')"
run 1 fixes list --set nosuch
one_line "$ERR"
run 1 --db nosuch.db fixes fetch --api-url "$FAKE_URL" --set study
assert_eq "$ERR" "issuemine: nosuch.db: No such file or directory (nothing fetched or imported yet?)"
[ ! -e nosuch.db ] || fail "fixes fetch created a database"
run 2 fixes fetch --api-url "$FAKE_URL"
assert_contains "$ERR" "fetch needs --set SET"
run 2 fixes
run 2 fixes frobnicate --set study
run 2 fixes fetch --set study --api-url ftp://x
run 2 fixes show study
assert_contains "$ERR" "'study' is not an issue"
run 1 fixes show pytorch/pytorch#999999
one_line "$ERR"
assert_eq "$ERR" "issuemine: fixes show: pytorch/pytorch#999999: not in the database"
run 2 fixes list --set study --patch
run 0 fixes --help
assert_contains "$OUT" "usage: issuemine fixes fetch --set SET"

# A token GitHub refuses: one line, exit 1, the token in no message.
printf 'the-only-token\n' >token.txt
fake_start --seed 11 --issues 520 --profile lean --repo pytorch/pytorch --token-file token.txt
canon=$(fixcheck canon "$ISSUEMINE_DB")
GH_ENTERPRISE_TOKEN=ghp_wrongTOKEN run 1 fixes fetch -q --api-url "$FAKE_URL" --set study --refresh
one_line "$ERR"
assert_contains "$ERR" "GitHub answered 401 Unauthorized"
assert_not_contains "$ERR" "ghp_wrongTOKEN"
assert_eq "$(fixcheck canon "$ISSUEMINE_DB")" "$canon" "fix tables after a refused token"
