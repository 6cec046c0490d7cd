# reconcile.sh - "issuemine reconcile": --list in text, CSV and JSON, and the
# adjudication UI driven by keystroke scripts (screens compared with
# tests/tui/screens/), with the adjudicator's codes checked in the database.
. "$(dirname "$0")/lib.sh"

setup_sample
# #201: symptom agreed; location and cause differ (cause in category and sub).
run 0 code --sample study --rater alice pytorch/pytorch#201 symptom=crash \
	location=node-conversion cause=incompatibility/external
run 0 code --sample study --rater bob pytorch/pytorch#201 symptom=crash location=export \
	cause=type-problem/node --note "opset 13 changed ReduceMax"
# #203: agreed where both coded; bob alone coded the location (not compared).
run 0 code --sample study --rater alice pytorch/pytorch#203 symptom=wrong-model cause=shape-problem
run 0 code --sample study --rater bob pytorch/pytorch#203 symptom=wrong-model \
	cause=shape-problem location=optimization
# #31: the symptom differs. #32: agreed.
run 0 code --sample study --rater alice onnx/tensorflow-onnx#31 symptom=wrong-model
run 0 code --sample study --rater bob onnx/tensorflow-onnx#31 symptom=crash
run 0 code --sample study --rater alice onnx/tensorflow-onnx#32 symptom=hang
run 0 code --sample study --rater bob onnx/tensorflow-onnx#32 symptom=hang

# --list: only the disagreements, in the sample's order; nothing is written.
run 0 reconcile --sample study --raters alice,bob --list
assert_eq "$OUT" "issue                    dimension  alice                     bob
pytorch/pytorch#201      location   Node Conversion           Export
pytorch/pytorch#201      cause      Incompatibility/External  Type Problem/Node
onnx/tensorflow-onnx#31  symptom    Wrong Model               Crash
3 disagreements on 2 issues of sample 'study'; 1 issue coded by only one of alice and bob left out"
run 0 reconcile --sample study --raters alice,bob --list --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "issue,title,dimension,rater_a,category_a,subcategory_a,rater_b,category_b,subcategory_b,adjudicator,category,subcategory
pytorch/pytorch#201,Export of aten::max fails with opset 13,location,alice,Node Conversion,,bob,Export,,,,
pytorch/pytorch#201,Export of aten::max fails with opset 13,cause,alice,Incompatibility,External,bob,Type Problem,Node,,,
onnx/tensorflow-onnx#31,Conv with groups converts to a wrong model,symptom,alice,Wrong Model,,bob,Crash,,,,"
assert_contains "$ERR" "1 issue coded by only one of alice and bob left out"
run 0 reconcile --sample study --raters alice,bob --list --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["sample"] == "study" and d["raters"] == ["alice", "bob"], d
assert d["adjudicator"] is None and d["issues"] == 2 and d["left_out"] == 1, d
rows = d["disagreements"]
assert [(r["issue"], r["dimension"]) for r in rows] == [("pytorch/pytorch#201", "location"),
    ("pytorch/pytorch#201", "cause"), ("onnx/tensorflow-onnx#31", "symptom")], rows
assert rows[1]["codes"] == [
    {"rater": "alice", "category": "incompatibility", "subcategory": "external",
     "label": "Incompatibility/External"},
    {"rater": "bob", "category": "type-problem", "subcategory": "node", "label": "Type Problem/Node"}], rows[1]
assert all(r["resolution"] is None for r in rows)
' || fail "reconcile --list --format json"
assert_eq "$(q "SELECT count(*) FROM raters WHERE name = 'consensus'")" 0

# The UI: only the issues in dispute, both raters' codes side by side, and
# the agreed codes already given to the adjudicator.
R="reconcile --sample study --raters alice,bob --as consensus"
screen '' $R
expect_screen reconcile-first
assert_contains "$SCREEN" "blindness ends here"
assert_eq "$(codes_of consensus)" "onnx/tensorflow-onnx#32 symptom hang
pytorch/pytorch#201 symptom crash
pytorch/pytorch#203 cause shape-problem
pytorch/pytorch#203 symptom wrong-model"
# 3 offers A (alice's code), B (bob's) and every category.
screen '3' $R
expect_screen reconcile-picker
# 2A takes alice's location, 3B bob's cause: #201 is resolved; ] goes to #31,
# where 1c picks a third symptom (Bad Performance).
screen '2A3B]1c' $R
expect_screen reconcile-decided
assert_eq "$(codes_of consensus | grep -v 'symptom hang\|#203')" "onnx/tensorflow-onnx#31 symptom bad-performance
pytorch/pytorch#201 cause type-problem/node
pytorch/pytorch#201 location node-conversion
pytorch/pytorch#201 symptom crash"
assert_eq "$(q "SELECT count(*) FROM code_log l JOIN raters r ON r.id = l.rater_id
	WHERE r.name = 'consensus' AND l.origin = 'reconcile'")" 7
# Alice's and bob's codes are untouched.
assert_eq "$(codes_of alice | grep -c . || true)" 7
assert_eq "$(codes_of bob | grep -c . || true)" 8

# --list with --as shows the decisions; reopening shows everything resolved.
run 0 reconcile --sample study --raters alice,bob --list --as consensus
assert_contains "$OUT" "onnx/tensorflow-onnx#31  symptom    Wrong Model               Crash              Bad Performance"
screen '' $R
expect_screen reconcile-done

# Raters who agree on everything both coded: nothing to show, agreed codes copied.
run 0 code --sample study --rater carol pytorch/pytorch#204 symptom=crash
run 0 code --sample study --rater dave pytorch/pytorch#204 symptom=crash cause=typo
ISSUEMINE_TUI_SCRIPT=/dev/null run 0 reconcile --sample study --raters carol,dave --as judge
assert_eq "$OUT" "nothing to reconcile: carol and dave agree wherever both coded in sample 'study'; 1 agreed code given to judge
1 issue coded by only one of them left out"
assert_eq "$(codes_of judge)" "pytorch/pytorch#204 symptom crash"

# Exclusions: a rater's codes on an issue they excluded do not count; one
# excluded and the other coded is a disagreement of its own (an exclusion
# row); both excluded alike goes to the adjudicator.
run 0 code --sample study --rater erin pytorch/pytorch#203 --exclude not-a-failure --exclude-note "a question"
run 0 code --sample study --rater erin pytorch/pytorch#201 symptom=crash --note "erin's note
on two lines"
run 0 code --sample study --rater fred pytorch/pytorch#203 symptom=hang
run 0 code --sample study --rater fred pytorch/pytorch#201 symptom=crash
run 0 code --sample study --rater erin onnx/tensorflow-onnx#31 --exclude not-enough-information
run 0 code --sample study --rater fred onnx/tensorflow-onnx#31 --exclude not-enough-information
run 0 reconcile --sample study --raters erin,fred --list
assert_eq "$OUT" "issue                dimension  erin                     fred
pytorch/pytorch#203  exclusion  excluded: Not a failure  included
1 disagreement on 1 issue of sample 'study'"
run 0 reconcile --sample study --raters erin,fred --list --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)["disagreements"]
assert d == [{"issue": "pytorch/pytorch#203", "title": "Shape inference wrong for Reshape with -1",
    "dimension": "exclusion", "codes": [
        {"rater": "erin", "excluded": True, "reason": "not-a-failure", "label": "Not a failure"},
        {"rater": "fred", "excluded": False, "reason": None, "label": "included"}],
    "resolution": None}], d
' || fail "reconcile --list --format json with an exclusion"
X="reconcile --sample study --raters erin,fred --as judge2"
screen '' $X
expect_screen reconcile-exclusion
assert_eq "$(q "SELECT i.number FROM exclusions x JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id WHERE r.name = 'judge2'")" 31
# x then A takes erin's decision (excluded, with her note); u takes it back.
screen 'xAu' $X
assert_contains "$SCREEN" "undone: exclusion: excluded: Not a failure with a note"
assert_eq "$(q "SELECT group_concat(l.origin || ':' || coalesce(l.detail, '-'), ' ') FROM code_log l JOIN raters r ON r.id = l.rater_id JOIN issues i ON i.id = l.issue_id WHERE r.name = 'judge2' AND i.number = 203")" "reconcile:a question undo:-"
screen 'xA' $X
assert_contains "$SCREEN" "saved: excluded as erin did: Not a failure"
assert_eq "$(q "SELECT x.detail FROM exclusions x JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id WHERE r.name = 'judge2' AND i.number = 203")" "a question"
# B: fred's decision, to include it, brings his codes.
screen '<Tab>xB' $X
assert_contains "$SCREEN" "saved: included as fred did, with fred's codes"
assert_eq "$(codes_of judge2)" "pytorch/pytorch#201 symptom crash
pytorch/pytorch#203 symptom hang"
assert_eq "$(q "SELECT count(*) FROM exclusions x JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id WHERE r.name = 'judge2' AND i.number = 203")" 0

# Bad input.
run 2 reconcile --sample study --raters alice --as consensus
run 2 reconcile --sample study --raters alice,alice --as consensus
run 2 reconcile --sample study --raters alice,bob,carol --as consensus
run 2 reconcile --sample study --raters alice,bob --as alice
run 2 reconcile --sample study --raters alice,bob
assert_contains "$ERR" "--as NAME is required"
run 2 reconcile --sample study --raters alice,bob --as consensus --format csv
run 2 reconcile --sample study --raters alice,bob --list --format xml
run 1 reconcile --sample study --raters alice,zoe --list
assert_eq "$ERR" "issuemine: no rater named 'zoe' (raters are created when they code)"
run 1 reconcile --sample nope --raters alice,bob --list
assert_eq "$ERR" "issuemine: no sample named 'nope'"
run 1 reconcile --sample study --raters alice,bob --as consensus </dev/null
assert_contains "$ERR" "needs a terminal"

# An external rater's code shows the confidence its answer gave it; a code
# changed by hand has none any more.
cat >bot.py <<'PY'
import json, sys
json.load(sys.stdin)
print(json.dumps({"codes": {"symptom": "crash",
                            "location": {"category": "export", "confidence": 0.35},
                            "cause": "shape-problem"}}))
PY
run 0 code --sample study --rater bot --with "python3 $TEST_DIR/bot.py" -q
screen '' reconcile --sample study --raters alice,bot --as judge3
assert_contains "$SCREEN" "Node Conversion       Export (35% sure)     (none)"
assert_not_contains "$SCREEN" "Crash (" "a code given without confidence"
screen '2' reconcile --sample study --raters alice,bot --as judge3
assert_contains "$SCREEN" "bot's code: Export (35% sure)"
# --list too: in the text, and as "confidence" in JSON.
run 0 reconcile --sample study --raters alice,bot --list
assert_contains "$OUT" "pytorch/pytorch#201      location   Node Conversion           Export (35% sure)"
run 0 reconcile --sample study --raters alice,bot --list --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
rows = json.load(sys.stdin)["disagreements"]
loc = [r for r in rows if r["issue"] == "pytorch/pytorch#201" and r["dimension"] == "location"][0]
assert "confidence" not in loc["codes"][0] and loc["codes"][1]["confidence"] == 0.35, loc
assert all("confidence" not in r["codes"][1] for r in rows if r["dimension"] != "location"), rows
' || fail "reconcile --list --format json: the bot's confidence"
run 0 code --sample study --rater bot pytorch/pytorch#201 location=optimization
screen '' reconcile --sample study --raters alice,bot --as judge3
assert_contains "$SCREEN" "Optimization"
assert_not_contains "$SCREEN" "sure)" "a code changed by hand"
run 0 reconcile --sample study --raters alice,bot --list
assert_not_contains "$OUT" "sure)" "a code changed by hand, in --list"
