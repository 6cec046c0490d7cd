# exclusion.sh - issues that are not failures, from exclusion to the paper's
# numbers: raters exclude with a reason (code, codes import), agree measures
# agreement on exclusion and leaves excluded issues' codes out, report leaves
# the reporting rater's excluded issues out and lists them, and sample
# --top-up replaces them from the same seeded order (checked against an
# independent implementation of the documented procedure). Fixed seeds.
. "$(dirname "$0")/lib.sh"
export ISSUEMINE_NOW=2024-01-02T03:04:05Z

run 0 import -q "$DATA/filter-corpus.json"
run 0 filter is:issue --save all
run 0 sample --from all --per-repo 3 --seed 11 --save study
members=$("$ISSUEMINE" sets show study --format csv | tr -d '\r' | tail -n +2 | cut -d, -f1,2 | tr , '#')
assert_eq "$(printf '%s\n' "$members" | tr '\n' ' ')" "onnx/tensorflow-onnx#20 onnx/tensorflow-onnx#22 onnx/tensorflow-onnx#23 other/thing#30 other/thing#31 other/thing#32 pytorch/pytorch#10 pytorch/pytorch#1 pytorch/pytorch#4 "

# Both raters code every issue (from a spreadsheet); alice excludes two, bob one of them.
{
	echo "issue,rater,dimension,category,subcategory,note,exclusion,exclusion_note"
	for i in $members; do
		echo "$i,alice,symptom,crash,,,,"
		echo "$i,alice,cause,incompatibility,external,,,"
		echo "$i,alice,location,export,,,,"
		echo "$i,bob,symptom,crash,,,,"
		echo "$i,bob,cause,incompatibility,internal,,,"
	done
	echo "onnx/tensorflow-onnx#22,alice,,,,,not-a-failure,\"a question,"
	echo "not a bug\""
	echo "pytorch/pytorch#10,alice,,,,,Not the converter,"
	echo "pytorch/pytorch#10,bob,,,,,not-the-converter,upstream"
} >codes.csv
run 0 codes import codes.csv --sample study
assert_contains "$OUT" "exclusions: 3 set, 0 unchanged"
assert_eq "$(q "SELECT count(*) FROM exclusions")" 3
# Imported twice: nothing changes, not even the log.
log=$(q "SELECT count(*) FROM code_log")
run 0 codes import codes.csv --sample study
assert_contains "$OUT" "exclusions: 0 set, 3 unchanged"
assert_eq "$(q "SELECT count(*) FROM code_log")" "$log"
# Exported and imported into another database: the same export.
run 0 codes export --sample study
export1=$OUT
assert_contains "$export1" "onnx/tensorflow-onnx#22,alice,symptom,crash,,,not-a-failure,\"a question,"
printf '%s\n' "$export1" >export1.csv
run 0 --db other.db codes import export1.csv --sample copy --add-to-sample --create-missing
run 0 --db other.db codes export --sample copy
assert_eq "$OUT" "$export1" "the export of the copy"

# Progress per rater.
run 0 sets show study
assert_contains "$OUT" "coded:    45 codes, 0 notes, 3 exclusions"
assert_contains "$OUT" "    alice       7             0         2            0      0  2024-01-02T03:04:05Z"
assert_contains "$OUT" "    bob         0             8         1            0      0  2024-01-02T03:04:05Z"
run 0 sets show study --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["exclusions"] == 3, d
assert d["raters"] == [
    {"rater": "alice", "coded": 7, "partly_coded": 0, "excluded": 2, "not_started": 0, "notes": 0,
     "last_change": "2024-01-02T03:04:05Z"},
    {"rater": "bob", "coded": 0, "partly_coded": 8, "excluded": 1, "not_started": 0, "notes": 0,
     "last_change": "2024-01-02T03:04:05Z"}], d["raters"]
' || fail "sets show --format json: raters"

# --- agree: excluded issues' codes left out, and agreement on exclusion itself ---
run 0 agree --sample study --raters alice,bob
assert_contains "$OUT" "excluded (their codes on those issues left out): alice 2, bob 1"
assert_contains "$OUT" "symptom (Symptom): 7 issues coded by both raters; 2 of 9 left out (excluded by alice: 2, bob: 1)"
assert_contains "$OUT" "exclusion (Exclusion): 9 issues coded by both raters"
# 8 agree (7 included, #10 excluded), 1 does not (#22): kappa = (8/9 - pe) / (1 - pe).
python3 - "$OUT" <<'PY'
import re, sys
out = sys.argv[1]
section = out[out.index("exclusion (Exclusion)"):]
kappa = float(re.search(r"Cohen's kappa +(-?[0-9.]+)", section).group(1))
po = 8 / 9
pe = (7 / 9) * (8 / 9) + (2 / 9) * (1 / 9)
assert abs(kappa - (po - pe) / (1 - pe)) < 1e-4, (kappa, (po - pe) / (1 - pe))
PY
run 0 agree --sample study --raters alice,bob --dimension exclusion --level sub --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1 and r[0]["dimension"] == "exclusion", r
assert [c["key"] for c in r[0]["categories"]] == ["included", "excluded/not-a-failure", "excluded/not-the-converter"], r[0]["categories"]
assert r[0]["confusion"]["counts"] == [[7, 0, 0], [1, 0, 0], [0, 0, 1]], r[0]["confusion"]
assert r[0]["excluded_by"] == {"alice": 2, "bob": 1}, r[0]
' || fail "agree --dimension exclusion --format json"
# A sample nobody excluded anything in has no exclusion result.
run 0 sample --from all --n 2 --seed 1 --save plain
run 0 code --sample plain --rater alice pytorch/pytorch#1 symptom=crash --add-to-sample
run 0 code --sample plain --rater bob pytorch/pytorch#1 symptom=crash --add-to-sample
run 0 agree --sample plain --raters alice,bob
assert_not_contains "$OUT" "exclusion"

# --- report: the reporting rater's excluded issues are in no table ---
run 0 report --sample study --rater alice --table symptoms
assert_contains "$OUT" "sample study, rater alice, 7 issues; 2 excluded by alice left out (Not a failure: 1, Not the converter: 1)"
assert_contains "$OUT" "Crash                   2 (100%)  3 (100%)  2 (100%)  7 (100%)"
run 0 report --sample study --rater alice --table exclusions --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "issue,reason,note,title
onnx/tensorflow-onnx#22,Not a failure,\"a question,
not a bug\",$(q "SELECT title FROM issues WHERE number = 22")
pytorch/pytorch#10,Not the converter,,Two half-matching references"
run 0 report --sample study --rater alice --table exclusions --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["excluded"] == 2 and d["issues"] == 7, d
assert [(x["issue"], x["reason"]) for x in d["exclusions"]] == [("onnx/tensorflow-onnx#22", "not-a-failure"), ("pytorch/pytorch#10", "not-the-converter")], d
' || fail "report --table exclusions --format json"
run 0 report --sample study --rater alice --format json
assert_contains "$OUT" '"excluded": 2'
run 0 report --sample study --rater alice
assert_contains "$OUT" "Excluded issues"
# Bob excluded one: his report counts 8.
run 0 report --sample study --rater bob --table causes
assert_contains "$OUT" "sample study, rater bob, 8 issues; 1 excluded by bob left out (Not the converter: 1)"

# --- top-up: replacements from the same seeded order ---
want=$(cd "$ISSUEMINE_SRC/tests/e2e" && python3 topup_reference.py "$ISSUEMINE_DB" study alice)
assert_eq "$(printf '%s\n' $want | wc -l)" 2
run 1 sample --top-up study
assert_eq "$ERR" "issuemine: several raters excluded issues of sample 'study' (alice, bob): say whose exclusions count with --rater"
run 0 sample --top-up study --rater alice --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [r["repository"] + "#" + str(r["number"]) for r in d["added"]] == sys.argv[1].split(), d["added"]
assert [(r["repository"], r["held"], r["excluded"], r["added"]) for r in d["repositories"]] == [
    ("onnx/tensorflow-onnx", 3, 1, 1), ("other/thing", 3, 0, 0), ("pytorch/pytorch", 3, 1, 1)], d
assert d["mode"] == "per-repo" and d["size"] == 3 and d["seed"] == 11, d
' "$want" || fail "sample --top-up --format json"
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study'")" 11
run 0 sets show study
assert_contains "$OUT" "topped up on 2024-01-02T03:04:05Z: 2 issues (onnx/tensorflow-onnx 1, pytorch/pytorch 1) in place of those alice excluded"
# Nothing left to replace: nothing changes.
run 0 sample --top-up study --rater alice
assert_eq "$OUT" "sample 'study' holds 3 included issues per repository: nothing to top up"
# A replacement excluded in turn: the next one of the same order.
added=$(printf '%s\n' $want | tail -1)
run 0 code --sample study --rater alice "$added" --exclude not-enough-information
want=$(cd "$ISSUEMINE_SRC/tests/e2e" && python3 topup_reference.py "$ISSUEMINE_DB" study alice)
run 0 sample --top-up study --rater alice --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r' | tail -n +2 | cut -d, -f1,2 | tr , '#')" "$want"
# The same on another machine: a fresh database, the same draw, the same exclusions.
run 0 --db again.db import -q "$DATA/filter-corpus.json"
run 0 --db again.db filter is:issue --save all
run 0 --db again.db sample --from all --per-repo 3 --seed 11 --save study
for i in onnx/tensorflow-onnx#22 pytorch/pytorch#10; do
	run 0 --db again.db code --sample study --rater alice "$i" --exclude not-a-failure
done
run 0 --db again.db sample --top-up study --rater alice
run 0 --db again.db code --sample study --rater alice "$added" --exclude not-a-failure
run 0 --db again.db sample --top-up study --rater alice
members_of() { "$ISSUEMINE" --db "$1" sets show study --format csv | tr -d '\r' | cut -d, -f1,2; }
assert_eq "$(members_of again.db)" "$(members_of "$ISSUEMINE_DB")"

# --n: a top-up of m draws what --n N+m draws after the first N.
run 0 sample --from all --n 4 --seed 5 --save four
second=$("$ISSUEMINE" sets show four --format csv | tr -d '\r' | sed -n 3p | cut -d, -f1,2 | tr , '#')
run 0 code --sample four --rater judge "$second" --exclude not-a-failure
run 0 sample --top-up four
run 0 sample --from all --n 5 --seed 5 --format csv
assert_eq "$("$ISSUEMINE" sets show four --format csv | tr -d '\r' | cut -d, -f1,2)" "$(printf '%s\n' "$OUT" | tr -d '\r' | cut -d, -f1,2)"
# A repository with no issue left to draw: refused, saying so.
run 0 code --sample study --rater alice other/thing#30 --exclude not-a-failure
run 1 sample --top-up study --rater alice
one_line "$ERR"
assert_eq "$ERR" "issuemine: set 'all' holds only 3 issues of other/thing; sample 'study' would need 4 to replace its excluded ones"
run 0 code --sample study --rater alice other/thing#30 --include

# --- bad input: one line, nothing written ---
snapshot() { q "SELECT (SELECT count(*) FROM codes) || ' ' || (SELECT count(*) FROM exclusions) || ' ' || (SELECT count(*) FROM set_members) || ' ' || (SELECT count(*) FROM code_log) || ' ' || (SELECT group_concat(origin, '|') FROM sets)"; }
before=$(snapshot)
run 1 code --sample study --rater alice pytorch/pytorch#4 symptom=hang --exclude not-relevant
one_line "$ERR"
assert_eq "$ERR" "issuemine: exclusion: no reason 'not-relevant' in taxonomy onnx-converters (valid: not-a-failure, not-the-converter, not-enough-information)"
printf 'issue,rater,dimension,category,exclusion,exclusion_note\npytorch/pytorch#4,carol,symptom,hang,,\npytorch/pytorch#4,carol,,,wontfix,\npytorch/pytorch#1,carol,,,,orphan note\n' >bad.csv
run 1 codes import bad.csv --sample study
assert_eq "$ERR" "issuemine: bad.csv: line 3: exclusion: no reason 'wontfix' in taxonomy onnx-converters (valid: not-a-failure, not-the-converter, not-enough-information)
issuemine: bad.csv: line 4: an exclusion_note, but no exclusion (a reason)
issuemine: bad.csv: 2 bad rows; nothing imported"
printf 'issue,rater,dimension,category,exclusion\npytorch/pytorch#4,carol,,,not-a-failure\npytorch/pytorch#4,carol,,,not-the-converter\n' >conflict.csv
run 1 codes import conflict.csv --sample study
assert_contains "$ERR" "line 3: exclusion conflicts with the exclusion on line 2"
run 1 sample --top-up all
one_line "$ERR"
assert_eq "$ERR" "issuemine: set 'all' is not a sample (it is a filter set): --top-up adds to a sample drawn by 'issuemine sample'"
run 1 sample --top-up nope
one_line "$ERR"
run 1 sample --top-up plain
assert_eq "$ERR" "issuemine: no issue of sample 'plain' is excluded: nothing to top up"
run 1 sample --top-up study --rater zoe
assert_contains "$ERR" "rater 'zoe' excluded no issue of sample 'study'"
run 2 sample --top-up study --from all
run 2 sample --top-up study --seed 3
run 2 sample --from all --n 3 --seed 1 --rater alice
run 2 code --sample study --rater alice pytorch/pytorch#4 --exclude-note why
run 2 code --sample study --rater alice pytorch/pytorch#4 --exclude not-a-failure --include
assert_eq "$(snapshot)" "$before"
# The sample was edited since the draw (an issue added by hand): refused, nothing drawn.
extra=$(q "SELECT r.full_name || '#' || i.number FROM set_members m JOIN sets s ON s.id = m.set_id
	JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id WHERE s.name = 'all'
	AND m.issue_id NOT IN (SELECT issue_id FROM set_members WHERE set_id = (SELECT id FROM sets WHERE name = 'four'))
	ORDER BY 1 LIMIT 1")
run 0 code --sample four --rater judge --add-to-sample "$extra" --exclude not-a-failure
run 0 code --sample four --rater judge "$("$ISSUEMINE" sets show four --format csv | tr -d '\r' | sed -n 2p | cut -d, -f1,2 | tr , '#')" --exclude not-a-failure
before=$(snapshot)
run 1 sample --top-up four
assert_contains "$ERR" "sample 'four' no longer follows the seeded order of set 'all'"
assert_eq "$(snapshot)" "$before"
# An exclusion is taken back with --include; the set cannot be dropped while it has one.
run 0 code --sample study --rater bob pytorch/pytorch#10 --include --format json
assert_contains "$OUT" '"exclusion": null'
run 1 sets drop study
assert_contains "$ERR" "exclusions by raters; refusing to drop it"
