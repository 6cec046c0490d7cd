# report.sh - "issuemine report": every table in every format, checked three ways.
#
# The sample is tests/data/report/study.txt (22 issues in two repositories,
# coded with "issuemine code"). Each table in each format is compared with
# tests/data/report/expected/TABLE.FORMAT; ISSUEMINE_REGEN=1 rewrites those
# files instead (review the diff before committing it). The distributions
# are also recounted from study.txt in Python and compared with the CSV, CSV
# is parsed back, JSON validated, and LaTeX checked for balanced braces and
# column counts (no TeX engine is needed).
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

EXPECTED="$DATA/report/expected"
STUDY="$DATA/report/study.txt"

# compare NAME TEXT: TEXT must equal the expected file NAME (or rewrites it).
compare() {
	if [ "${ISSUEMINE_REGEN:-}" = 1 ]; then
		mkdir -p "$EXPECTED"
		printf '%s\n' "$2" >"$EXPECTED/$1"
		return
	fi
	[ -f "$EXPECTED/$1" ] || fail "no expected file $EXPECTED/$1 (run with ISSUEMINE_REGEN=1)"
	printf '%s\n' "$2" >"$TEST_DIR/got"
	diff -u "$EXPECTED/$1" "$TEST_DIR/got" >&2 || fail "report output differs from $1"
}

make_study "$STUDY" study alice
# A second rater coded two issues; reports must then say whose codes to use.
im code --sample study --rater bob pytorch/pytorch#101 cause=typo >/dev/null
im code --sample study --rater bob onnx/tensorflow-onnx#1 symptom=hang >/dev/null

run 1 report --sample study
one_line "$ERR"
assert_eq "$ERR" "issuemine: sample 'study' was coded by several raters (alice, bob): choose one with --rater"
run 1 report --sample study --rater carol
assert_eq "$ERR" "issuemine: rater 'carol' has no codes in sample 'study' (raters: alice, bob)"
run 1 report --sample nope --rater alice
assert_eq "$ERR" "issuemine: no sample named 'nope'"
# The only rater is picked without --rater.
im code --sample solo --rater bob --add-to-sample pytorch/pytorch#102 symptom=crash >/dev/null
run 0 report --sample solo --table symptoms --format csv
assert_contains "$OUT" "Crash,1,1"

# Every table in every format, against the expected files.
tables="symptoms locations causes subcauses cause-symptom cause-location over-time"
for table in $tables; do
	for format in text csv json markdown latex; do
		run 0 report --sample study --rater alice --table "$table" --format "$format"
		compare "$table.$format" "$OUT"
	done
done
# The paper's shapes: Table 10 (top causes and symptoms binned), Table 14 (top
# causes with sub-categories), with the paper's column titles.
labels=(--label onnx/tensorflow-onnx=TF --label pytorch/pytorch=PT)
run 0 report --sample study --rater alice --table cause-symptom --top 3 --top-symptoms 2 "${labels[@]}"
compare table10.text "$OUT"
run 0 report --sample study --rater alice --table cause-symptom --top 3 --top-symptoms 2 "${labels[@]}" --format latex
compare table10.latex "$OUT"
run 0 report --sample study --rater alice --table subcauses --top 3 "${labels[@]}" --format markdown
compare table14.markdown "$OUT"
# All tables at once, as text and JSON.
run 0 report --sample study --rater alice
compare all.text "$OUT"
run 0 report --sample study --rater alice --format json
printf '%s' "$OUT" | python3 -m json.tool >/dev/null || fail "report --format json is not JSON"
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(t["table"] for t in json.load(sys.stdin)["tables"]))')" \
	"symptoms locations causes subcauses cause-symptom cause-location over-time"

# Independent recount: Python counts study.txt and compares with every CSV record.
for table in symptoms locations causes; do
	run 0 report --sample study --rater alice --table "$table" --format csv
	printf '%s' "$OUT" >"$table.csv"
	python3 - "$STUDY" "$table" "$table.csv" <<'EOF' || fail "$table: CSV counts differ from study.txt"
import collections, csv, sys
spec, table, path = sys.argv[1:]
column = {"symptoms": 2, "locations": 3, "causes": 4}[table]
names = {"crash": "Crash", "wrong-model": "Wrong Model", "bad-performance": "Bad Performance",
         "build-failure": "Build Failure", "unreported": "Unreported",
         "node-conversion": "Node Conversion", "load-model": "Load Model",
         "optimization": "Optimization", "export": "Export", "validation": "Validation",
         "not-distinguishable": "Not Distinguishable", "incompatibility": "Incompatibility",
         "type-problem": "Type Problem", "algorithmic-error": "Algorithmic Error",
         "shape-problem": "Shape Problem", "misconfiguration": "Misconfiguration",
         "api-misuse": "API Misuse", "typo": "Typo", "others": "Others"}
want = collections.Counter()
for line in open(spec):
    f = line.split()
    if not f or f[0].startswith("#"):
        continue
    repo = f[0].split("#")[0]
    code = f[column].split("/")[0] if len(f) > column else "-"
    cat = "(uncoded)" if code in ("-", "none") else names[code]
    for key in ((cat, repo), (cat, "total"), ("Total", repo), ("Total", "total")):
        want[key] += 1
rows = list(csv.reader(open(path, newline="")))
header = rows[0]
assert header[0] == table[:-1] and header[-2:] == ["total", "kind"], header
got = collections.Counter()
kinds = {"Total": "total", "(uncoded)": "uncoded", "Other": "other"}
for row in rows[1:]:
    assert len(row) == len(header), row
    assert row[-1] == kinds.get(row[0], "data"), row
    for name, value in zip(header[1:-1], row[1:-1]):
        got[(row[0], name)] = int(value)
missing = {k: v for k, v in want.items() if got[k] != v}
assert not missing, missing
assert sum(v for (c, r), v in got.items() if r == "total" and c != "Total") == got[("Total", "total")]
EOF
done

# LaTeX: braces balance and every row has as many cells as the column spec says.
for table in $tables; do
	run 0 report --sample study --rater alice --table "$table" --format latex
	printf '%s\n' "$OUT" | python3 -c '
import re, sys
text = sys.stdin.read()
body = re.sub(r"\\[\\{}&%$#_]", "", text)
depth = 0
for ch in body:
    depth += {"{": 1, "}": -1}.get(ch, 0)
    assert depth >= 0, "unbalanced }"
assert depth == 0, "unbalanced {"
spec = re.search(r"\\begin\{tabular\}\{@\{\}([lr]+)@\{\}\}", text).group(1)
for line in text.splitlines():
    if not line.endswith("\\\\"):
        continue
    cells = 0
    for m in re.finditer(r"\\multicolumn\{(\d+)\}|(?<!\\)&", line):
        cells += int(m.group(1)) - 1 if m.group(1) else 1
    assert cells + 1 == len(spec), (cells + 1, len(spec), line)
assert "\\toprule" in text and "\\bottomrule" in text
' || fail "$table: malformed LaTeX"
done

# Markdown: every row has as many cells as the header.
run 0 report --sample study --rater alice --table cause-location --format markdown
printf '%s\n' "$OUT" | python3 -c '
import sys
rows = [l for l in sys.stdin.read().splitlines() if l.startswith("|")]
widths = {l.replace("\\|", "").count("|") for l in rows}
assert len(widths) == 1, widths
' || fail "markdown rows of unequal width"

# --hide-empty-uncoded drops an (uncoded) row only when it counts nothing.
run 0 report --sample study --rater alice --table symptoms --format csv --hide-empty-uncoded
assert_contains "$OUT" "(uncoded),1,0,1,uncoded"
run 0 report --sample study --rater alice --table cause-symptom --top-symptoms 2 --format csv --hide-empty-uncoded
assert_contains "$OUT" "symptom,onnx/tensorflow-onnx,pytorch/pytorch,total,kind"
assert_contains "$OUT" "(uncoded),(uncoded),1,0,1"
# --from/--to restrict the issues and say how many were left out.
run 0 report --sample study --rater alice --table causes --from 2020-01-01 --to 2020-12-31 --format csv
assert_contains "$OUT" "Total,2,2,4"
run 0 report --sample study --rater alice --table causes --from 2020-01-01 --to 2020-12-31
assert_contains "$OUT" "sample study, rater alice, 4 issues (18 outside --from/--to left out)"
# over-time restricted to chosen causes (a sub-category narrows a cause).
run 0 report --sample study --rater alice --table over-time --causes "Incompatibility/External" --format csv
assert_contains "$OUT" "Total,new,2,2,4"
run 0 report --sample study --rater alice --table over-time --causes "incompatibility, type-problem" --format csv
assert_contains "$OUT" "Total,cumulative,5,6,11"

# --output writes the whole file, or nothing and keeps what was there.
run 0 report --sample study --rater alice --table symptoms --format latex --output table.tex
assert_eq "$OUT" ""
assert_eq "$(cat table.tex)" "$(cat "$EXPECTED/symptoms.latex")"
echo "old contents" >keep.txt
run 1 report --sample study --rater alice --table over-time --causes Nope --output keep.txt
one_line "$ERR"
assert_contains "$ERR" "--causes: no cause 'Nope' (valid: API Misuse, Incompatibility,"
assert_eq "$(cat keep.txt)" "old contents"
assert_eq "$(ls -A | grep -c '^\.keep' || true)" 0 "temporary files left behind"
run 1 report --sample study --rater alice --output /nonexistent/dir/out.txt
assert_contains "$ERR" "/nonexistent/dir/out.txt: No such file or directory"

# Usage errors.
run 2 report --sample study --rater alice --format csv
assert_contains "$ERR" "--format csv holds one table: choose it with --table (or use --output-dir)"
run 2 report --sample study --table nope
run 2 report --sample study --from 2020-13-01
run 2 report --sample study --from 2021-01-01 --to 2020-01-01
run 2 report --table symptoms
assert_contains "$ERR" "--sample NAME is required"
run 2 report --sample study --format xml
run 2 report --sample study --rater alice --label pytorch/pytorch
assert_contains "$ERR" "expected OWNER/NAME=TEXT"
run 2 report --sample study --rater alice --label =PT
run 1 report --sample study --rater alice --label x/y=Z
assert_contains "$ERR" "no repository x/y in sample 'study'"
