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
