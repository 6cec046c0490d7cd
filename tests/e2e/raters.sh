# raters.sh - "issuemine code --with": external raters through the JSON
# protocol. Valid answers stored with origin external and their confidence;
# invalid categories, malformed JSON, crashes, signals, empty and oversized
# answers recorded and never half-stored; reruns retry only those; the
# document is blind (another rater's codes and notes never in it) and is
# what --document prints; no descriptor leaks into the command.
. "$(dirname "$0")/lib.sh"

RATER="python3 $DATA/raters/fake_rater.py"
python3 "$DATA/raters/make_corpus.py" 12 >corpus.json
run 0 import corpus.json
run 0 filter 'repo:acme/widgets' --save all
run 0 sample --from all --n 12 --seed 5 --save study
order=$(q "SELECT i.number FROM set_members m JOIN issues i ON i.id = m.issue_id
           JOIN sets s ON s.id = m.set_id WHERE s.name = 'study' ORDER BY m.position" | tr '\n' ' ')

# Blindness, part 1: a human codes some issues first, with distinctive notes.
run 0 code --sample study --rater zed-human acme/widgets#1 symptom=hang cause=typo \
	location=validation --note "ZEBRA-NOTE-4711 only a human knows this"
run 0 code --sample study --rater zed-human acme/widgets#2 --exclude not-the-converter \
	--exclude-note "QUOKKA-EXCLUSION-0815"

# Usage errors (exit 2) and bad input (exit 1), each one line, nothing written.
run 2 code --sample study --rater bot --with ''
assert_contains "$ERR" "--with: the command is empty"
run 2 code --sample study --rater bot --with "$RATER" -j 0
run 2 code --sample study --rater bot --with "$RATER" --timeout 0
run 2 code --sample study --rater bot --with "$RATER" acme/widgets#1
run 2 code --sample study --rater bot --with "$RATER" --note hi
run 2 code --sample study --rater "b ot" --with "$RATER"
run 1 code --sample nosuch --rater bot --with "$RATER"
one_line "$ERR"
assert_contains "$ERR" "no sample named 'nosuch'"
assert_eq "$(q "SELECT count(*) FROM rater_runs")" 0
# A rater who coded by hand is not taken over by a command.
run 1 code --sample study --rater zed-human --with "$RATER"
one_line "$ERR"
assert_contains "$ERR" "rater 'zed-human' has coded sample 'study' by hand"

# One run that meets every kind of answer; the plan says which issue does what.
cat >plan.json <<'EOF'
{"3": "bad-category", "4": "malformed", "5": "crash", "6": "segv", "7": "empty",
 "8": "unknown-member", "9": "huge", "10": "exclude", "11": "fds",
 "12": "answer:{\"codes\": {\"symptom\": \"Crash\", \"cause\": {\"category\": \"incompatibility\", \"subcategory\": \"External\", \"confidence\": 0.25}, \"location\": {\"category\": \"node convert\", \"confidence\": 1}}, \"note\": \"line one\\nline two\", \"meta\": {\"model\": \"none\"}}"}
EOF
mkdir docs
export FAKE_RATER_PLAN=$TEST_DIR/plan.json FAKE_RATER_DOCS=$TEST_DIR/docs FAKE_RATER_LOG=$TEST_DIR/log
export FAKE_RATER_CONFIDENCE=0.9
run 1 code --sample study --rater bot --with "$RATER" -q
assert_contains "$ERR" "code --with: 7 of 12 issues not coded (rerun the same command to retry them)"
assert_contains "$OUT" "bot on sample 'study': 12 issues to code: 4 coded, 1 excluded, 2 failed, 0 timed out, 5 invalid"
assert_contains "$OUT" "acme/widgets#3  invalid: invalid answer: cause: no category 'Nope' (valid: API Misuse, Incompatibility"
assert_contains "$OUT" "acme/widgets#4  invalid: invalid answer: malformed JSON: line 1, column 1"
assert_contains "$OUT" "acme/widgets#5  failed: exited with status 3: ValueError: fake rater crashed"
assert_contains "$OUT" "acme/widgets#6  failed: "
assert_contains "$OUT" "acme/widgets#7  invalid: invalid answer: wrote no answer on standard output"
assert_contains "$OUT" "acme/widgets#8  invalid: invalid answer: unknown member 'cods'"
assert_contains "$OUT" "acme/widgets#9  invalid: wrote more than 1048576 bytes on standard output and was killed"
assert_contains "$OUT" "run the same command again to retry the 7 that failed"
# The commands ran in sample order, one at a time.
assert_eq "$(awk '$1 == "start" { printf "%s ", $2 }' log)" "$order"

# What was stored: codes with origin external, the note, the exclusion, confidence.
codes_of() {
	q "SELECT i.number || ' ' || d.key || ' ' || c.key || coalesce('/' || s.key, '')
	   FROM codes x JOIN issues i ON i.id = x.issue_id JOIN dimensions d ON d.id = x.dimension_id
	   JOIN categories c ON c.id = x.category_id LEFT JOIN categories s ON s.id = x.subcategory_id
	   JOIN raters r ON r.id = x.rater_id WHERE r.name = '$1' ORDER BY i.number, d.position"
}
assert_eq "$(codes_of bot | grep '^12 ')" "12 symptom crash
12 location node-conversion
12 cause incompatibility/external"
assert_eq "$(codes_of bot | cut -d' ' -f1 | sort -un | tr '\n' ' ')" "1 2 11 12 "
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'bot'")" 12
assert_eq "$(q "SELECT DISTINCT origin FROM code_log l JOIN raters r ON r.id = l.rater_id WHERE r.name = 'bot'")" external
assert_eq "$(q "SELECT replace(note, char(10), '|') FROM notes n JOIN issues i ON i.id = n.issue_id JOIN raters r ON r.id = n.rater_id WHERE r.name = 'bot' AND i.number = 12")" "line one|line two"
assert_eq "$(q "SELECT e.key || ' ' || coalesce(x.detail, '') FROM exclusions x JOIN exclusion_reasons e ON e.id = x.reason_id JOIN raters r ON r.id = x.rater_id WHERE r.name = 'bot'")" "not-a-failure not one"
assert_eq "$(q "SELECT i.number || ' ' || d.key || ' ' || k.confidence FROM code_confidence k JOIN issues i ON i.id = k.issue_id JOIN dimensions d ON d.id = k.dimension_id ORDER BY i.number, d.position" | grep '^12 ')" "12 location 1.0
12 cause 0.25"
assert_eq "$(q "SELECT count(*) FROM code_confidence k WHERE confidence = 0.9")" 9
# The descriptors the command inherited: 0, 1 and 2 (3 is its own listing of them).
assert_eq "$(q "SELECT note FROM notes n JOIN issues i ON i.id = n.issue_id JOIN raters r ON r.id = n.rater_id WHERE r.name = 'bot' AND i.number = 11")" "fds 0 1 2 3"
# Nothing of a failed issue is stored, not even the note of an answer that did not check.
for n in 3 4 5 6 7 8 9; do
	assert_eq "$(q "SELECT count(*) FROM notes n JOIN issues i ON i.id = n.issue_id JOIN raters r ON r.id = n.rater_id WHERE r.name = 'bot' AND i.number = $n")" 0 "notes of #$n"
	assert_eq "$(q "SELECT count(*) FROM codes x JOIN issues i ON i.id = x.issue_id JOIN raters r ON r.id = x.rater_id WHERE r.name = 'bot' AND i.number = $n")" 0 "codes of #$n"
done
# The run and every answer are recorded: the command line once, statuses, stderr, the answer as written.
assert_eq "$(q "SELECT command || ' ' || protocol || ' ' || jobs || ' ' || to_code || ' ' || coded || ' ' || excluded || ' ' || failed || ' ' || (finished_at IS NOT NULL) FROM rater_runs")" \
	"$RATER 1 1 12 4 1 7 1"
assert_eq "$(q "SELECT i.number || ' ' || a.status || ' ' || coalesce(a.exit_status, '-') FROM rater_answers a JOIN issues i ON i.id = a.issue_id WHERE i.number IN (5, 10, 12) ORDER BY i.number")" "5 failed 3
10 excluded 0
12 coded 0"
assert_contains "$(q "SELECT stderr FROM rater_answers a JOIN issues i ON i.id = a.issue_id WHERE i.number = 5")" "Traceback (most recent call last):"
assert_contains "$(q "SELECT answer FROM rater_answers a JOIN issues i ON i.id = a.issue_id WHERE i.number = 4")" "I think it is a crash"
assert_eq "$(q "SELECT json_extract(answer, '$.meta.model') FROM rater_answers a JOIN issues i ON i.id = a.issue_id WHERE i.number = 12")" none
assert_eq "$(q "SELECT count(DISTINCT document_hash) FROM rater_answers WHERE length(document_hash) = 64")" 12

# Blindness, part 2: no document holds the human's codes, notes, exclusion or name.
[ "$(ls docs | wc -l)" = 12 ] || fail "expected 12 documents, got $(ls docs)"
for f in docs/*.json; do
	doc=$(cat "$f")
	assert_not_contains "$doc" "ZEBRA-NOTE-4711" "$f"
	assert_not_contains "$doc" "QUOKKA-EXCLUSION-0815" "$f"
	assert_not_contains "$doc" "zed-human" "$f"
done
# The document: format 1, the issue, its timeline in order, no fixes fetched, the taxonomy in force.
python3 - docs/1.json <<'EOF' || fail "document shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == 1 and d["sample"] == "study" and d["rater"] == "bot", d.keys()
i = d["issue"]
assert i["ref"] == "acme/widgets#1" and i["number"] == 1 and i["repository"] == "acme/widgets", i
assert i["title"] == "Widget 1 crashes when exported" and i["state"] == "closed", i
assert i["labels"] == ["area 1", "bug"] and i["url"] == "https://github.com/acme/widgets/issues/1", i
assert i["created_at"] == "2022-01-02T10:00:00Z" and i["closed_at"] == "2022-01-02T10:00:00Z", i
assert [e["event"] for e in d["timeline"]] == ["commented", "labeled", "closed"], d["timeline"]
assert d["timeline"][0]["body"] == "Confirmed on widget 1." and d["timeline"][0]["actor"] == "maintainer"
assert d["timeline"][1]["label"] == "bug" and d["timeline"][2]["commit_id"].endswith("abc001")
assert d["fixes"] is None
t = d["taxonomy"]
assert t["name"] == "onnx-converters" and t["version"] == 1 and len(t["hash"]) == 64, t.keys()
assert [x["key"] for x in t["dimensions"]] == ["symptom", "location", "cause"]
cause = t["dimensions"][2]
assert cause["subcategory"] == "optional"
inc = [c for c in cause["categories"] if c["key"] == "incompatibility"][0]
assert inc["definition"] and [s["key"] for s in inc["subcategories"]] == ["internal", "external", "resource"]
assert [r["key"] for r in t["exclusions"]] == ["not-a-failure", "not-the-converter", "not-enough-information"]
EOF
# --document prints what the command read, and writes nothing.
runs=$(q "SELECT count(*) FROM rater_runs")
run 0 code --sample study --rater bot --document acme/widgets#1
python3 -c 'import json,sys; assert json.loads(sys.argv[1]) == json.load(open(sys.argv[2]))' "$OUT" docs/1.json ||
	fail "--document differs from what the command read"
run 1 code --sample study --rater bot --document acme/widgets#99
assert_contains "$ERR" "acme/widgets#99 is not in sample 'study'"
assert_eq "$(q "SELECT count(*) FROM rater_runs")" "$runs"

# A rerun retries only the issues that failed, and the summary says so in JSON too.
: >log
cat >plan.json <<'EOF'
{"4": "malformed"}
EOF
run 1 code --sample study --rater bot --with "$RATER" --format json -q
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["to_code"] == 7 and d["done_before"] == 5 and d["sample_issues"] == 12, d
assert d["coded"] == 6 and d["invalid"] == 1 and d["failed"] == 0 and d["timed_out"] == 0, d
assert d["command"].endswith("fake_rater.py") and d["jobs"] == 1 and d["interrupted"] is False, d
f = d["failures"]
assert len(f) == 1 and f[0]["issue"] == "acme/widgets#4" and f[0]["status"] == "invalid", f
assert f[0]["reason"].startswith("invalid answer: malformed JSON") and f[0]["exit_status"] == 0, f
assert set(d["timing"]) >= {"document_ms", "check_ms", "store_ms", "overhead_ms", "commits"}, d
' || fail "rerun summary in JSON"
assert_eq "$(awk '$1 == "start" { print $2 }' log | sort -n | tr '\n' ' ')" "3 4 5 6 7 8 9 "
echo '{}' >plan.json
: >log
run 0 code --sample study --rater bot --with "$RATER"
assert_eq "$(awk '$1 == "start" { print $2 }' log)" 4
run 0 code --sample study --rater bot --with "$RATER"
assert_eq "$OUT" "bot on sample 'study': nothing to code (12 of 12 issues coded or excluded)"
assert_eq "$(q "SELECT count(*) FROM rater_runs")" 3
# The external rater is a rater like any: it shows in sets show, codes export, agree.
run 0 sets show study
assert_contains "$OUT" "bot"
run 0 codes export --sample study --rater bot
assert_contains "$OUT" "acme/widgets#12,bot,cause,incompatibility,external"
run 0 agree --sample study --raters zed-human,bot
assert_contains "$OUT" "raters zed-human and bot"
# A command that cannot work stops the run after its first failures, not after every issue.
run 1 code --sample study --rater broken --with "no-such-rater-command-xyz"
one_line "$ERR"
assert_contains "$ERR" "the first 5 commands all failed, the last one: exited with status 127: "
assert_contains "$ERR" "no-such-rater-command-xyz: not found; stopped (fix the command, then run it again"
assert_eq "$(q "SELECT count(*) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'broken'")" 5
assert_eq "$(q "SELECT count(*) FROM rater_runs r JOIN raters x ON x.id = r.rater_id WHERE x.name = 'broken' AND finished_at IS NULL")" 1
