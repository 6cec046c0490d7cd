# validate.sh - "issuemine validate": TP/FP/FN/TN, precision, recall and F1 of a
# query against a hand-labelled truth file, per repository and in total.
. "$(dirname "$0")/lib.sh"

run 0 import -q "$DATA/filter-corpus.json"
# The ONNX query keeps pytorch #1-5, #15 and tensorflow-onnx #20, #21.
# pytorch: TP #1 #2 #3; FP #4 #15; FN #6 #9; TN #7 #12 (precision 3/5, recall 3/5)
# tensorflow-onnx: TP #20 #21; FN #22; TN #24 (precision 1, recall 2/3)
# Issue references in every accepted form, relevance in every accepted spelling.
cat >truth.csv <<'CSV'
issue,relevant,note
pytorch/pytorch#1,1,
https://github.com/pytorch/pytorch/issues/2,yes,
pytorch/pytorch#3,TRUE,
pytorch/pytorch#4, 0 ,"connected, but not a fix"
pytorch/pytorch#15,no,
pytorch/pytorch#6,1,
https://api.github.com/repos/pytorch/pytorch/issues/9,true,
pytorch/pytorch#7,false,
PyTorch/PyTorch#12,0,
onnx/tensorflow-onnx#20,1,
https://github.com/onnx/tensorflow-onnx/issues/21,1,
onnx/tensorflow-onnx#22,1,
onnx/tensorflow-onnx#24,0,
gone/away#1,1,
pytorch/pytorch#999,0,
CSV
run 0 validate --query onnx-converters --truth truth.csv
assert_contains "$OUT" "onnx/tensorflow-onnx             2     0     1     1      1.000      0.667      0.800"
assert_contains "$OUT" "pytorch/pytorch                  3     2     2     2      0.600      0.600      0.600"
assert_contains "$OUT" "total                            5     2     3     3      0.714      0.625      0.667"
# Issues that are not in the database are reported, not dropped silently.
assert_contains "$OUT" "not in the database (2 of 15): gone/away#1 pytorch/pytorch#999"
assert_contains "$ERR" "warning: truth.csv: 2 of 15 issues are not in the database"
run 0 validate --query onnx-converters --truth truth.csv --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["total"]
print(t["tp"], t["fp"], t["fn"], t["tn"], round(t["precision"], 4), round(t["recall"], 4), d["missing"], [r["repository"] for r in d["repositories"]])')" \
	"5 2 3 3 0.7143 0.625 ['gone/away#1', 'pytorch/pytorch#999'] ['onnx/tensorflow-onnx', 'pytorch/pytorch']"
run 0 validate --query onnx-converters --truth truth.csv --format csv
assert_contains "$OUT" "pytorch/pytorch,3,2,2,2,0.6000,0.6000,0.6000"

# --min: exit 1 naming what falls short; 0 when everything reaches it.
run 1 validate --query onnx-converters --truth truth.csv --min 0.65
assert_contains "$ERR" "validate: pytorch/pytorch: precision 0.600 is below --min 0.65"
assert_contains "$ERR" "validate: pytorch/pytorch: recall 0.600 is below --min 0.65"
assert_contains "$ERR" "validate: total: recall 0.625 is below --min 0.65"
assert_not_contains "$ERR" "tensorflow-onnx: precision"
run 0 validate --query onnx-converters --truth truth.csv --min 0.6
# The query can be given inline too.
run 0 validate 'is:closed repo:onnx/tensorflow-onnx' --truth truth.csv --format csv
assert_contains "$OUT" "onnx/tensorflow-onnx,3,1,0,0,0.7500,1.0000,0.8571"
# Undefined precision (nothing matched) fails --min.
run 1 validate 'label:nothing-has-this' --truth truth.csv --min 0.1
assert_contains "$ERR" "precision is undefined"

# Malformed truth files: one line naming the file, line and field.
printf 'issue,relevant\npytorch/pytorch#1,maybe\n' >bad1.csv
run 1 validate --query onnx-converters --truth bad1.csv
assert_eq "$ERR" "issuemine: bad1.csv: line 2: relevant: 'maybe' is not 1/0, yes/no or true/false"
printf 'issue,relevant\npytorch#1,1\n' >bad2.csv
run 1 validate --query onnx-converters --truth bad2.csv
assert_eq "$ERR" "issuemine: bad2.csv: line 2: issue: 'pytorch#1' is not owner/name#N or a GitHub issue URL"
printf 'id,relevant\na/b#1,1\n' >bad3.csv
run 1 validate --query onnx-converters --truth bad3.csv
assert_eq "$ERR" "issuemine: bad3.csv: line 1: no 'issue' column (expected a header issue,relevant)"
printf 'issue,relevant\na/b#1,1\nhttps://github.com/a/b/issues/1,0\n' >bad4.csv
run 1 validate --query onnx-converters --truth bad4.csv
assert_eq "$ERR" "issuemine: bad4.csv: line 3: a/b#1 is already on line 2"
: >empty.csv
run 1 validate --query onnx-converters --truth empty.csv
one_line "$ERR"
run 1 validate --query onnx-converters --truth nofile.csv
assert_contains "$ERR" "nofile.csv: No such file or directory"
run 2 validate --query onnx-converters
assert_contains "$ERR" "no --truth"
run 2 validate --query onnx-converters --truth truth.csv --min 2
run 2 validate --query onnx-converters --truth truth.csv --min -1
assert_contains "$ERR" "--min: -1 is not between 0 and 1"
# Repositories are named as the database has them, whatever the truth file's case.
printf 'issue,relevant\nPYTORCH/PyTorch#1,1\npytorch/pytorch#2,1\n' >case.csv
run 0 validate --query onnx-converters --truth case.csv --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r' | cut -d, -f1-3 | tr '\n' ' ')" "repository,tp,fp pytorch/pytorch,2,0 total,2,0 "
run 1 validate 'is:' --truth truth.csv
assert_contains "$ERR" "line 1, column 4"
