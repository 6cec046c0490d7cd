# report_funnel.sh - "report --table funnel": the study's funnel per
# repository (fetched, each set of the sample's lineage, excluded,
# incomplete, coded), counted against the database, in every format.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

# A sample made by hand (no lineage): tf2onnx#10 in it without codes, pytorch#111 without a cause.
make_study "$DATA/report/study.txt" study alice
run 0 code --sample study --rater alice pytorch/pytorch#101 --exclude not-a-failure
run 0 report --sample study --table funnel --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "repository,fetched,study,excluded,incomplete,coded,kind
onnx/tensorflow-onnx,10,10,0,1,9,data
pytorch/pytorch,12,12,1,1,10,data
Total,22,22,1,2,19,total"
# Counted independently: every issue stored; coded = not excluded, with a code in all 3 dimensions.
coded=$(q "SELECT count(*) FROM set_members m WHERE NOT EXISTS (SELECT 1 FROM exclusions x
	WHERE x.issue_id = m.issue_id) AND (SELECT count(*) FROM codes c WHERE c.issue_id = m.issue_id) = 3")
assert_eq "$coded" 19 "coded, by SQL"
# A minimal row (from a bare reference) is not fetched; a pull request is.
printf 'issue,rater,dimension,category\npytorch/pytorch#999,alice,symptom,crash\n' >minimal.csv
run 0 codes import minimal.csv --sample study --add-to-sample --create-missing
assert_contains "$OUT" "added 1 minimal issue"
run 0 report --sample study --table funnel --format csv
assert_contains "$OUT" "pytorch/pytorch,12,13,1,2,10,data"

# Every format; labels in text, owner/name in CSV and JSON; a float in LaTeX.
run 0 config report.name.pytorch/pytorch torch.onnx
run 0 report --sample study --table funnel
assert_contains "$OUT" "Funnel of the study"
assert_contains "$OUT" "torch.onnx"
assert_contains "$OUT" "study (manual)"
run 0 report --sample study --table funnel --format json
python3 -c 'import json, sys
d = json.load(sys.stdin)
t = d["tables"][0]
assert t["table"] == "funnel" and t["columns"] == ["fetched", "study", "excluded", "incomplete", "coded"], t
assert [r["repository"] for r in t["rows"]] == ["onnx/tensorflow-onnx", "pytorch/pytorch", "Total"], t["rows"]' <<<"$OUT" ||
	fail "funnel JSON: $OUT"
run 0 report --sample study --table funnel --format latex --float
assert_contains "$OUT" "\\label{tab:funnel}"
run 0 report --sample study --table funnel --format markdown --output-dir md
assert_eq "$(ls md)" "funnel.md"
# Not part of "all"; --from and --to do not apply to it.
run 0 report --sample study --format csv --output-dir all
[ ! -e all/funnel.csv ] || fail "funnel in --table all"
run 2 report --sample study --table funnel --from 2019-01-01
assert_contains "$ERR" "--table funnel counts the whole study: --from and --to do not apply"
run 2 report --sample study --spearman --releases onnx-opsets --table funnel
assert_contains "$ERR" "is not one of all, bins, correlations"
