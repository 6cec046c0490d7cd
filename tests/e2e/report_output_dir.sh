# report_output_dir.sh - "report --output-dir": one file per table with
# stable names, each the same as "--table NAME" prints, all of them or none;
# --hide-empty; the report.* settings as defaults that flags override.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

make_study "$DATA/report/study.txt" study alice
tables="symptoms locations causes subcauses cause-symptom cause-location over-time"

# --- every format: the files and their contents ---
for pair in text:txt csv:csv json:json markdown:md latex:tex; do
	format=${pair%:*} ext=${pair#*:}
	run 0 report --sample study --rater alice --format "$format" --output-dir "out-$format"
	assert_eq "$OUT" "" "stdout with --output-dir"
	want=$(for t in $tables; do echo "$t.$ext"; done | sort | tr '\n' ' ')
	assert_eq "$(cd "out-$format" && ls | tr '\n' ' ')" "$want" "files of $format"
	for t in $tables; do
		run 0 report --sample study --rater alice --format "$format" --table "$t"
		assert_eq "$(cat "out-$format/$t.$ext")" "$OUT" "out-$format/$t.$ext"
	done
done
assert_eq "$(stat -c %a out-csv)" "$(umask -S >/dev/null; mkdir probe && stat -c %a probe)" "directory permissions"
python3 -c 'import json,sys; [json.load(open(f"out-json/{t}.json")) for t in sys.argv[1:]]' $tables ||
	fail "a JSON file is not JSON"

# --- into an existing directory: tables replaced, other files kept ---
mkdir paper
echo "\\documentclass{article}" >paper/main.tex
echo stale >paper/symptoms.tex
run 0 report --sample study --rater alice --format latex --output-dir paper --table symptoms
assert_eq "$(ls paper | tr '\n' ' ')" "main.tex symptoms.tex " "paper/"
assert_eq "$(cat paper/main.tex)" "\\documentclass{article}"
assert_contains "$(cat paper/symptoms.tex)" "\\begin{tabular}"

# --- all or none: a failure in the last table leaves nothing ---
run 1 report --sample study --rater alice --format latex --output-dir fresh --causes Nope
one_line "$ERR"
assert_contains "$ERR" "--causes: no cause 'Nope'"
[ ! -e fresh ] || fail "a failed --output-dir left fresh/"
run 1 report --sample study --rater alice --format latex --output-dir paper --causes Nope
assert_eq "$(cat paper/symptoms.tex)" "$(cat out-latex/symptoms.tex)" "paper/symptoms.tex after a failure"
assert_eq "$(ls paper | tr '\n' ' ')" "main.tex symptoms.tex " "paper/ after a failure"
assert_eq "$(ls -A . paper | grep -c '^\.fresh\|^\.issuemine' || true)" 0 "temporary directories left behind"
# A file in the way, a missing parent, --output with --output-dir.
echo x >afile
run 1 report --sample study --rater alice --output-dir afile
assert_eq "$ERR" "issuemine: afile: not a directory"
run 1 report --sample study --rater alice --output-dir /nonexistent/dir
one_line "$ERR"
assert_contains "$ERR" "/nonexistent/dir: No such file or directory"
run 2 report --sample study --rater alice --output-dir d --output f
assert_contains "$ERR" "--output and --output-dir: choose one"

# --- the release correlation ---
run 0 report --sample study --rater alice --spearman --releases onnx-opsets --format csv --output-dir rel
assert_eq "$(cd rel && ls | tr '\n' ' ')" "bins.csv correlations.csv "
run 0 report --sample study --rater alice --spearman --releases onnx-opsets --format csv --table bins
assert_eq "$(cat rel/bins.csv)" "$OUT"
run 0 report --sample study --rater alice --spearman --releases onnx-opsets --format json --output-dir rel-json
assert_eq "$(cd rel-json && ls)" "spearman.json"

# --- --hide-empty: rows, groups and columns that count nothing ---
run 0 report --sample study --rater alice --table subcauses --format csv --hide-empty
assert_not_contains "$OUT" ",0,0,0,"
assert_contains "$OUT" "Total,,10,12,22,total"
run 0 report --sample study --rater alice --table cause-symptom --format csv --hide-empty
printf '%s\n' "$OUT" >hidden.csv
run 0 report --sample study --rater alice --table cause-symptom --format csv
printf '%s\n' "$OUT" >full.csv
python3 - <<'PY'
import csv
full = list(csv.DictReader(open("full.csv")))
hidden = list(csv.DictReader(open("hidden.csv")))
# Empty causes and symptoms are gone; every count that is not zero is still there.
cause_total = {r["cause"]: int(r["total"]) for r in full if r["symptom"] == "Total"}
symptom_total = {r["symptom"]: int(r["total"]) for r in full if r["cause"] == "Total"}
assert {r["cause"] for r in hidden} == {c for c, n in cause_total.items() if n or c == "Total"}
assert {r["symptom"] for r in hidden} == {s for s, n in symptom_total.items() if n or s == "Total"}
key = lambda r: (r["cause"], r["symptom"])
kept = {key(r): r for r in hidden}
for r in full:
    if int(r["total"]):
        assert kept[key(r)] == r, (r, kept.get(key(r)))
assert "(uncoded)" not in cause_total or cause_total["(uncoded)"] == 0 or "(uncoded)" in {r["cause"] for r in hidden}
PY
[ $? = 0 ] || fail "--hide-empty dropped counts"
# Per-group totals dropped from the drawn joint table; the Total group keeps its own.
run 0 report --sample study --rater alice --table cause-symptom --no-group-totals --label onnx/tensorflow-onnx=TF --label pytorch/pytorch=PT
header=$(printf '%s\n' "$OUT" | sed -n 5p)
assert_eq "$(printf '%s\n' "$header" | grep -o Total | wc -l)" 1 "Total columns in the header"
groups=$(python3 -c 'import csv; print(len({r["symptom"] for r in csv.DictReader(open("full.csv"))}))')
assert_eq "$(printf '%s\n' "$header" | grep -o TF | wc -l)" "$groups" "TF columns, one per symptom group"

# --- settings as defaults; flags win ---
run 0 config report.rater alice
run 0 config report.format csv
run 0 config report.name.pytorch/pytorch torch.onnx
run 0 config report.name.onnx/tensorflow-onnx tf2onnx
run 0 config report.top 3
run 0 report --sample study --table causes
assert_contains "$OUT" "cause,onnx/tensorflow-onnx,pytorch/pytorch,total,kind"
assert_contains "$OUT" "Other,"
run 0 report --sample study --table causes --format text --top 0
assert_contains "$OUT" "tf2onnx"
assert_contains "$OUT" "torch.onnx"
assert_not_contains "$OUT" "Other "
run 0 report --sample study --table causes --format text --label pytorch/pytorch=PT
assert_contains "$OUT" "PT"
assert_not_contains "$OUT" "torch.onnx"
run 0 config report.hide-empty true
run 0 config report.compact yes
run 0 report --sample study --table cause-symptom --format csv
assert_contains "$OUT" "cause,repository,"
run 0 report --sample study --table cause-symptom --format csv --no-compact --no-hide-empty
assert_contains "$OUT" "cause,symptom,"
# A rater named in the settings who did not code the sample is an error, not a guess.
run 0 config report.rater carol
run 1 report --sample study --table causes
assert_eq "$ERR" "issuemine: rater 'carol' has no codes in sample 'study' (raters: alice)"
run 0 report --sample study --table causes --rater alice
