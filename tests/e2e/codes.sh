# codes.sh - "issuemine codes import|export": CSV in, every bad row reported
# with nothing written, idempotent re-import, and an export/import round trip
# between two databases.
. "$(dirname "$0")/lib.sh"

run 0 import "$DATA/dump-small.json"
# pytorch/pytorch#101, #102 and onnx/tensorflow-onnx#7 are issues; #150 a pull request.
cat >codes.csv <<'EOF'
issue,rater,dimension,category,subcategory,note
pytorch/pytorch#101,alice,symptom,crash,,"opset 13, only on GPU"
pytorch/pytorch#101,alice,Cause,INCOMPATIBILITY,external,
pytorch/pytorch#101,alice,location,Node Convert,,
https://github.com/pytorch/pytorch/issues/101,bob,symptom,Crashes,,
pytorch/pytorch#101,bob,cause,incompatibility,Internal,"two
lines, ""quoted"""
https://api.github.com/repos/pytorch/pytorch/issues/102,alice,symptom,hang,,
pytorch/pytorch#102,bob,symptom,wrong model,,
onnx/tensorflow-onnx#7,alice,symptom,crash,,
onnx/tensorflow-onnx#7,bob,,,,nothing to code here
EOF

# Without the sample, and without --add-to-sample: refused.
run 1 codes import codes.csv --sample study
one_line "$ERR"
assert_contains "$ERR" "no sample named 'study' (--add-to-sample creates it)"
assert_eq "$(q "SELECT count(*) FROM sets")" 0

run 0 codes import codes.csv --sample study --add-to-sample
assert_eq "$OUT" "imported codes.csv into sample 'study' (created): 9 rows; codes: 8 new, 0 changed, 0 unchanged; notes: 3 set, 0 unchanged
added 0 minimal issues, 3 issues to the sample, 2 raters"
assert_eq "$(q "SELECT count(*) FROM codes")" 8
assert_eq "$(q "SELECT group_concat(i.number, ' ') FROM (SELECT issue_id FROM set_members ORDER BY position) m JOIN issues i ON i.id = m.issue_id")" "101 102 7"
assert_eq "$(q "SELECT c.key || '/' || s.key FROM codes x JOIN categories c ON c.id = x.category_id JOIN categories s ON s.id = x.subcategory_id JOIN raters r ON r.id = x.rater_id WHERE r.name = 'bob'")" "incompatibility/internal"
assert_eq "$(q "SELECT c.key FROM codes x JOIN categories c ON c.id = x.category_id JOIN dimensions d ON d.id = x.dimension_id WHERE d.key = 'location'")" "node-conversion"
assert_eq "$(q "SELECT note = 'two' || char(10) || 'lines, \"quoted\"' FROM notes n JOIN raters r ON r.id = n.rater_id JOIN issues i ON i.id = n.issue_id WHERE r.name = 'bob' AND i.number = 101")" 1
assert_eq "$(q "SELECT count(*) FROM code_log WHERE origin = 'import'")" 11

# Importing the same file again changes nothing: no new code_log row, same times.
before=$(q "SELECT group_concat(coded_at || category_id, ';') FROM codes")
run 0 codes import codes.csv --sample study --format json
assert_contains "$OUT" '"codes_new": 0'
assert_contains "$OUT" '"codes_unchanged": 8'
assert_contains "$OUT" '"notes_unchanged": 3'
assert_contains "$OUT" '"sample_created": false'
assert_eq "$(q "SELECT count(*) FROM code_log")" 11
assert_eq "$(q "SELECT group_concat(coded_at || category_id, ';') FROM codes")" "$before"

# A changed code is a change (and logged); the rest stays.
printf 'issue,rater,dimension,category\npytorch/pytorch#102,bob,symptom,hang\n' >fix.csv
run 0 codes import fix.csv --sample study
assert_contains "$OUT" "codes: 0 new, 1 changed, 0 unchanged"
assert_eq "$(q "SELECT count(*) FROM code_log")" 12

# --- a file with every kind of bad row: all listed, nothing written ---
cat >bad.csv <<'EOF'
issue,rater,dimension,category,subcategory,note
pytorch/pytorch#101,carol,symptom,crash,,
not-an-issue,carol,symptom,crash,,
pytorch/pytorch#999,carol,symptom,crash,,
onnx/tensorflow-onnx#8,carol,symptom,crash,,
pytorch/pytorch#101,car ol,symptom,crash,,
pytorch/pytorch#101,carol,cause,Nope,,
pytorch/pytorch#101,carol,mood,sad,,
pytorch/pytorch#101,carol,symptom,crash,sudden,
pytorch/pytorch#101,carol,cause,incompatibility,weird,
pytorch/pytorch#101,carol,,,,
pytorch/pytorch#101,carol,location,,,
pytorch/pytorch#101,carol,symptom,hang,,
pytorch/pytorch#101,carol,cause,typo,,first
pytorch/pytorch#101,carol,location,export,,second
pytorch/pytorch#102,carol,symptom,crash,,,extra
,carol,symptom,crash,,
pytorch/pytorch#102,,symptom,crash,,
EOF
snapshot() { q "SELECT (SELECT count(*) FROM codes) || ' ' || (SELECT count(*) FROM notes) || ' ' || (SELECT count(*) FROM raters) || ' ' || (SELECT count(*) FROM set_members) || ' ' || (SELECT count(*) FROM issues) || ' ' || (SELECT count(*) FROM code_log)"; }
before=$(snapshot)
run 1 codes import bad.csv --sample study
assert_eq "$OUT" ""
assert_eq "$ERR" "issuemine: bad.csv: line 3: issue 'not-an-issue' is not owner/name#N or a GitHub issue URL
issuemine: bad.csv: line 4: issue pytorch/pytorch#999 is not in the database (fetch or import it, or use --create-missing)
issuemine: bad.csv: line 5: issue onnx/tensorflow-onnx#8 is not in sample 'study' (--add-to-sample adds it)
issuemine: bad.csv: line 6: rater 'car ol' is not a valid name (no spaces, commas or control characters, at most 100 bytes)
issuemine: bad.csv: line 7: cause: no category 'Nope' (valid: API Misuse, Incompatibility, Type Problem, Shape Problem, Incorrect Numerical Computation, Incorrect Assignment, Incorrect Exception Handling, Misconfiguration, Concurrency, Algorithmic Error, Typo, Testing, Documentation, Others)
issuemine: bad.csv: line 8: no dimension 'mood' in taxonomy onnx-converters (valid: symptom, location, cause)
issuemine: bad.csv: line 9: symptom: Crash has no sub-categories (got 'sudden')
issuemine: bad.csv: line 10: cause: Incompatibility: no sub-category 'weird' (valid: Internal, External, Resource)
issuemine: bad.csv: line 11: no dimension, category, note or exclusion
issuemine: bad.csv: line 12: no category
issuemine: bad.csv: line 13: symptom: 'Hang' conflicts with 'Crash' on line 2
issuemine: bad.csv: line 15: note conflicts with the note on line 14
issuemine: bad.csv: line 16: 7 fields, but the header names 6
issuemine: bad.csv: line 17: no issue
issuemine: bad.csv: line 18: no rater
issuemine: bad.csv: 15 bad rows; nothing imported"
assert_eq "$(snapshot)" "$before"
# With --create-missing and --add-to-sample, the issue rows are no longer bad; the rest still are.
run 1 codes import bad.csv --sample study --create-missing --add-to-sample
assert_not_contains "$ERR" "line 4:"
assert_not_contains "$ERR" "line 5:"
assert_contains "$ERR" "bad.csv: 13 bad rows; nothing imported"
assert_eq "$(snapshot)" "$before"

# Whole-file problems: one line each.
printf 'issue,rater,dimension,categroy\n' >h1.csv
run 1 codes import h1.csv --sample study
one_line "$ERR"
assert_contains "$ERR" "h1.csv: line 1: unknown column 'categroy' in the header (expected issue, rater, dimension, category, subcategory, note, exclusion, exclusion_note)"
printf 'issue,rater,dimension\npytorch/pytorch#101,alice,symptom\n' >h2.csv
run 1 codes import h2.csv --sample study
assert_contains "$ERR" "h2.csv: line 1: the header has no 'category' column"
printf 'pytorch/pytorch#101,alice,symptom,crash\n' >noheader.csv
run 1 codes import noheader.csv --sample study
assert_contains "$ERR" "unknown column 'pytorch/pytorch#101' in the header"
: >empty.csv
run 1 codes import empty.csv --sample study
assert_contains "$ERR" "empty.csv: empty file (a header is required"
printf 'issue,rater,dimension,category\n"pytorch/pytorch#101,alice,symptom,crash\n' >quote.csv
run 1 codes import quote.csv --sample study
one_line "$ERR"
assert_contains "$ERR" "quote.csv: line 2: unterminated quoted field"
run 1 codes import missing.csv --sample study
assert_contains "$ERR" "missing.csv: No such file or directory"
run 1 codes import codes.csv --sample study --taxonomy nosuch
one_line "$ERR"
assert_eq "$(snapshot)" "$before"
# Usage errors.
run 2 codes import codes.csv
run 2 codes import --sample study
run 2 codes import --sample study a.csv b.csv
run 2 codes
run 2 codes frobnicate
run 2 codes export
run 0 codes --help
assert_contains "$OUT" "issuemine codes import"

# Columns in another order, subcategory and note absent, a BOM and CRLF (as spreadsheets write).
printf '\xef\xbb\xbfrater,category,issue,dimension\r\ncarol,Crash,pytorch/pytorch#101,symptom\r\n' >reordered.csv
run 0 codes import reordered.csv --sample study
assert_contains "$OUT" "codes: 1 new"

# Standard input.
printf 'issue,rater,dimension,category\npytorch/pytorch#102,carol,symptom,hang\n' |
	"${WRAPPER[@]}" "$ISSUEMINE" codes import --sample study - >stdin.out
assert_contains "$(cat stdin.out)" "imported <stdin> into sample 'study'"

# --- export ---
run 0 codes export --sample study
export1=$OUT
assert_eq "$(printf '%s\n' "$export1" | head -1 | tr -d '\r')" "issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note"
assert_contains "$export1" "pytorch/pytorch#101,alice,symptom,crash,,\"opset 13, only on GPU\",,"
assert_contains "$export1" "pytorch/pytorch#101,alice,cause,incompatibility,external,,,"
assert_contains "$export1" "onnx/tensorflow-onnx#7,bob,,,,nothing to code here,,"
# Sample order, then rater, then dimension (taxonomy order: symptom, location, cause).
assert_eq "$(printf '%s\n' "$export1" | tr -d '\r' | sed -n '2,4p' | cut -d, -f1-3)" "pytorch/pytorch#101,alice,symptom
pytorch/pytorch#101,alice,location
pytorch/pytorch#101,alice,cause"
run 0 codes export --sample study --rater carol
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note
pytorch/pytorch#101,carol,symptom,crash,,,,
pytorch/pytorch#102,carol,symptom,hang,,,,"
run 0 codes export --sample study --format json
printf '%s\n' "$OUT" >export.json
python3 - <<'EOF'
import json
rows = json.load(open("export.json"))
assert rows[0] == {"issue": "pytorch/pytorch#101", "rater": "alice", "dimension": "symptom",
                   "category": "crash", "subcategory": None, "note": "opset 13, only on GPU",
                   "exclusion": None, "exclusion_note": None}, rows[0]
assert len(rows) == 11, len(rows)
assert rows[-1]["dimension"] is None and rows[-1]["note"] == "nothing to code here"
EOF
run 1 codes export --sample nosuch
assert_contains "$ERR" "no sample named 'nosuch'"
run 1 codes export --sample study --rater zoe
assert_contains "$ERR" "no rater named 'zoe'"

# --- round trip into a database that has never seen these issues ---
printf '%s\n' "$export1" >export1.csv
other="$TEST_DIR/other.db"
run 1 --db "$other" codes import export1.csv --sample copy --add-to-sample
assert_contains "$ERR" "issue pytorch/pytorch#101 is not in the database"
run 0 --db "$other" codes import export1.csv --sample copy --add-to-sample --create-missing
assert_contains "$OUT" "added 3 minimal issues, 3 issues to the sample, 3 raters"
run 0 --db "$other" codes export --sample copy
assert_eq "$OUT" "$export1" "the export of the copy"
run 0 --db "$other" codes import export1.csv --sample copy
assert_contains "$OUT" "codes: 0 new, 0 changed, 10 unchanged; notes: 0 set, 3 unchanged"
# The minimal rows carry only the reference; importing the real issues fills them in place.
oq() { "$ISSUEMINE" --db "$other" sql --no-header "$1" | tr -d '\r'; }
assert_eq "$(oq "SELECT count(*) FROM issues WHERE raw IS NULL AND state IS NULL AND title = ''")" 3
ids_before=$(oq "SELECT group_concat(id) FROM issues ORDER BY id")
run 0 --db "$other" import "$DATA/dump-small.json"
assert_eq "$(oq "SELECT title FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE r.full_name = 'pytorch/pytorch' AND number = 101")" "Exporting torch.max fails with opset 13"
assert_eq "$(oq "SELECT group_concat(id) FROM issues WHERE number IN (101, 102, 7) ORDER BY id")" "$ids_before"
run 0 --db "$other" codes export --sample copy
assert_eq "$OUT" "$export1" "the export after the real issues arrived"
