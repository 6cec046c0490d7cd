# code.sh - "issuemine code": setting codes from scripts, validation, blindness, atomicity.
. "$(dirname "$0")/lib.sh"

run 0 import "$DATA/dump-small.json"
run 1 code --sample study --rater alice pytorch/pytorch#101 symptom=crash
assert_contains "$ERR" "no sample named 'study' (--add-to-sample creates it)"
run 0 code --sample study --rater alice --add-to-sample pytorch/pytorch#101 \
	symptom=crash cause=incompatibility/external "location=Node Convert" --note "opset 13"
assert_eq "$OUT" "alice: pytorch/pytorch#101 in study: symptom=Crash cause=Incompatibility/External location=Node Conversion (note saved)"
assert_eq "$(q "SELECT kind || ' ' || (SELECT count(*) FROM set_members) FROM sets WHERE name = 'study'")" "manual 1"
assert_eq "$(q "SELECT count(*) FROM codes")" 3
assert_eq "$(q "SELECT c.name || '/' || s.name FROM codes x JOIN categories c ON c.id = x.category_id JOIN categories s ON s.id = x.subcategory_id")" "Incompatibility/External"
assert_eq "$(q "SELECT note FROM notes")" "opset 13"
# A URL works as the issue; an issue not in the sample is refused.
run 1 code --sample study --rater alice https://github.com/onnx/tensorflow-onnx/issues/7 symptom=hang
assert_contains "$ERR" "onnx/tensorflow-onnx#7 is not in sample 'study' (--add-to-sample adds it)"
run 0 code --sample study --rater bob --add-to-sample https://github.com/onnx/tensorflow-onnx/issues/7 symptom=hang
# Blind: bob's command prints only bob's codes.
assert_not_contains "$OUT" "Crash"
# Any bad code refuses the whole command: nothing of it is stored.
run 1 code --sample study --rater alice pytorch/pytorch#101 symptom=wrong-model cause=Nope
one_line "$ERR"
assert_contains "$ERR" "cause: no category 'Nope' (valid: API Misuse, Incompatibility, Type Problem"
assert_eq "$(q "SELECT c.key FROM codes x JOIN categories c ON c.id = x.category_id JOIN dimensions d ON d.id = x.dimension_id JOIN raters r ON r.id = x.rater_id WHERE d.key = 'symptom' AND r.name = 'alice'")" crash
run 1 code --sample study --rater alice pytorch/pytorch#101 symptom=crash/sudden
assert_contains "$ERR" "symptom: Crash has no sub-categories"
run 1 code --sample study --rater alice pytorch/pytorch#101 cause=incompatibility/weird
assert_contains "$ERR" "no sub-category 'weird' (valid: Internal, External, Resource)"
run 1 code --sample study --rater alice pytorch/pytorch#101 mood=sad
assert_contains "$ERR" "no dimension 'mood'"
run 1 code --sample study --rater alice pytorch/pytorch#101 symptom
assert_contains "$ERR" "expected dimension=category"
run 1 code --sample study --rater alice pytorch/pytorch#4242 symptom=crash
assert_contains "$ERR" "pytorch/pytorch#4242: not in the database"
run 2 code --sample study pytorch/pytorch#101 symptom=crash
run 2 code --sample study --rater alice notanissue symptom=crash
run 2 code --sample study --rater "al ice" pytorch/pytorch#101 symptom=crash
# --clear and removing the note.
run 0 code --sample study --rater alice pytorch/pytorch#101 --clear location --note ""
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'alice'")" 2
assert_eq "$(q "SELECT count(*) FROM notes")" 0
# Every change is in the log, with who and how.
assert_eq "$(q "SELECT count(*) FROM code_log WHERE origin = 'code'")" 7

# --format json: the rater's codes on the issue after the command, and what changed.
run 0 code --sample study --rater alice pytorch/pytorch#101 location=export --format json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["issue"] == "pytorch/pytorch#101" and d["rater"] == "alice" and d["sample"] == "study", d
assert d["codes"] == {"symptom": {"category": "crash", "subcategory": None, "label": "Crash"},
    "location": {"category": "export", "subcategory": None, "label": "Export"},
    "cause": {"category": "incompatibility", "subcategory": "external", "label": "Incompatibility/External"}}, d["codes"]
assert d["changed"] == [{"what": "location", "value": "Export"}], d["changed"]
assert d["note"] is None and d["exclusion"] is None and d["version"] == 1, d
' || fail "code --format json"
# Given no change, code lists the rater's codes and writes nothing (not even the rater).
log=$(q "SELECT count(*) FROM code_log")
run 0 code --sample study --rater alice pytorch/pytorch#101
assert_eq "$OUT" "alice: pytorch/pytorch#101 in study: symptom=Crash location=Export cause=Incompatibility/External"
run 0 code --sample study --rater zoe pytorch/pytorch#101 --format json
assert_contains "$OUT" '"symptom": null'
assert_eq "$(q "SELECT count(*) FROM raters WHERE name = 'zoe'")" 0
assert_eq "$(q "SELECT count(*) FROM code_log")" "$log"
# Blind: the listing is the rater's own codes only.
run 0 code --sample study --rater bob https://github.com/onnx/tensorflow-onnx/issues/7
assert_eq "$OUT" "bob: onnx/tensorflow-onnx#7 in study: symptom=Hang location=(none) cause=(none)"
# --exclude with a reason (key or name) and free text; --include takes it back.
run 0 code --sample study --rater alice pytorch/pytorch#101 --exclude "Not the converter" --exclude-note "an onnxruntime bug"
assert_eq "$OUT" "alice: pytorch/pytorch#101 in study: exclusion=Not the converter"
run 0 code --sample study --rater alice pytorch/pytorch#101 --format json
assert_contains "$OUT" '"reason": "not-the-converter"'
assert_contains "$OUT" '"note": "an onnxruntime bug"'
run 0 code --sample study --rater alice pytorch/pytorch#101
assert_eq "$OUT" "alice: pytorch/pytorch#101 in study: symptom=Crash location=Export cause=Incompatibility/External excluded: Not the converter"
run 0 code --sample study --rater alice pytorch/pytorch#101 --include
assert_eq "$(q "SELECT count(*) FROM exclusions")" 0
assert_eq "$(q "SELECT count(*) FROM code_log WHERE kind = 'exclusion'")" 2
# Bad input: an unknown reason refuses the whole command, codes given with it too.
run 1 code --sample study --rater alice pytorch/pytorch#101 symptom=hang --exclude spam
one_line "$ERR"
assert_contains "$ERR" "exclusion: no reason 'spam' in taxonomy onnx-converters (valid: not-a-failure, not-the-converter, not-enough-information)"
assert_eq "$(q "SELECT c.key FROM codes x JOIN categories c ON c.id = x.category_id JOIN dimensions d ON d.id = x.dimension_id JOIN raters r ON r.id = x.rater_id WHERE d.key = 'symptom' AND r.name = 'alice'")" crash
run 2 code --sample study --rater alice pytorch/pytorch#101 --format xml
run 1 code --sample nope --rater alice pytorch/pytorch#101
assert_eq "$ERR" "issuemine: no sample named 'nope'"
