# report_latex.sh - "report --output-dir" with LaTeX, compiled: every table
# \input into a document that pdflatex builds without an error; the
# unabridged cause x symptom table (every cause and symptom of the ONNX
# taxonomy, zeros included) fits a page 7 inches wide, the text width of
# ACM's and IEEE's two-column papers for a full-width table* (no overfull
# box, one page), in the --compact layout where the wide layout does not
# (how wide the other tables are depends on the taxonomy's names); names full of
# LaTeX's special characters compile, a control character too; --float gives captions and labels a
# document can \ref. Skipped (exit 77) only when pdflatex is not installed.
. "$(dirname "$0")/lib.sh"
. "$DATA/report/study.sh"

if ! command -v pdflatex >/dev/null 2>&1; then
	echo "SKIP: pdflatex is not installed (scripts/bootstrap installs texlive-latex-base and texlive-latex-recommended)"
	exit 77
fi

make_study "$DATA/report/study.txt" study alice

# compile NAME BODY: an article 7in wide with booktabs and graphicx around BODY; leaves NAME.log.
compile() {
	local name=$1 body=$2
	cat >"$name.tex" <<TEX
\\documentclass{article}
\\usepackage[letterpaper,margin=0.75in]{geometry}
\\usepackage{graphicx}
\\usepackage{booktabs}
\\begin{document}
$body
\\end{document}
TEX
	# Twice, so that \ref finds the labels.
	for _ in 1 2; do
		pdflatex -interaction=nonstopmode -halt-on-error -no-shell-escape "$name.tex" >"$name.out" 2>&1 ||
			fail "pdflatex failed on $name.tex: $(grep -A3 '^!' "$name.log" | head -8)"
	done
}

pages() {
	sed -n 's/^Output written on .* (\([0-9]*\) pages\{0,1\}.*/\1/p' "$1.log"
}

# --- every table, as a reader would \input them (short column titles, as in the paper) ---
run 0 report --sample study --rater alice --format latex --output-dir tables --float \
	--label onnx/tensorflow-onnx=TF --label pytorch/pytorch=PT
assert_eq "$OUT" ""
expected="cause-location.tex cause-symptom.tex causes.tex locations.tex over-time.tex subcauses.tex symptoms.tex"
assert_eq "$(cd tables && echo *)" "$expected" "files in tables/"
body=""
for f in symptoms locations causes subcauses over-time; do
	body="$body\\input{tables/$f}
See Table~\\ref{tab:$f}.
\\clearpage
"
done
compile all "$body"
assert_not_contains "$(cat all.log)" "undefined references" "all.log"
assert_eq "$(pages all)" 5 "pages: one per table"

# --- the unabridged cause x symptom table: wide does not fit, compact does ---
run 0 report --sample study --rater alice --format latex --output-dir wide --table cause-symptom
compile wide "\\input{wide/cause-symptom}"
assert_contains "$(cat wide.log)" "Overfull \\hbox" "the wide layout (the test must be able to fail)"
run 0 report --sample study --rater alice --format latex --output-dir compact --compact --float
compile compact "\\input{compact/cause-symptom}
\\clearpage
\\input{compact/cause-location}"
assert_not_contains "$(cat compact.log)" "Overfull \\hbox" "compact.log"
assert_eq "$(pages compact)" 2 "pages of the two compact joint tables"
compile compact-one "\\input{compact/cause-symptom}"
assert_eq "$(pages compact-one)" 1 "pages of the compact cause x symptom table"
# It is unabridged: every symptom of the taxonomy is a column, (uncoded) included,
# every cause a group of rows.
for s in Crash "Wrong Model" "Bad Performance" "Build Failure" Unreported "(uncoded)"; do
	assert_contains "$(cat compact/cause-symptom.tex)" "& \\rotatebox{90}{$s}" "compact columns"
done
causes=$(im sql --no-header "SELECT count(*) FROM categories c JOIN dimensions d ON d.id = c.dimension_id
	JOIN taxonomies t ON t.id = d.taxonomy_id WHERE t.name = 'onnx-converters' AND d.key = 'cause'
	AND c.parent_id IS NULL" | tr -d '\r')
[ "$causes" -gt 10 ] || fail "the taxonomy has only $causes causes"
assert_eq "$(grep -c '& pytorch &' compact/cause-symptom.tex)" "$((causes + 2))" "rows of pytorch (causes, (uncoded), Total)"

# --- names full of special characters compile (column titles, as settings) ---
run 0 config report.name.onnx/tensorflow-onnx 'TF & ONNX_#1 {100%} $x^2$ ~\ <a|b>'
run 0 config report.name.pytorch/pytorch '"q" ``r'"''"' ,,s -- t'"'"'s'
run 0 report --sample study --rater alice --format latex --output-dir names --compact --float
assert_contains "$(cat names/symptoms.tex)" 'TF \& ONNX\_\#1 \{100\%\} \$x\textasciicircum{}2\$ \textasciitilde{}\textbackslash{} \textless{}a\textbar{}b\textgreater{}'
body=""
for f in symptoms causes cause-symptom; do
	body="$body\input{names/$f}
"
done
compile names "$body"

# A control character (an escape sequence in a --label) is written visibly: TeX rejects it raw.
run 0 report --sample study --rater alice --format latex --output-dir ctl --table symptoms \
	--label "pytorch/pytorch=PT$(printf '\033[2J')"
assert_contains "$(cat ctl/symptoms.tex)" 'PT\textbackslash{}x1b[2J'
compile ctl "\input{ctl/symptoms}"

# --- the release correlation writes \$\\rho\$ ---
run 0 report --sample study --rater alice --spearman --releases onnx-opsets --format latex --output-dir rho --float
assert_eq "$(cd rho && echo *)" "bins.tex correlations.tex" "files in rho/"
assert_contains "$(cat rho/correlations.tex)" '& $\rho$ &'
assert_contains "$(cat rho/correlations.tex)" "\\caption{Spearman's \$\\rho\$}"
compile rho "\\input{rho/bins}
\\input{rho/correlations}
Table~\\ref{tab:correlations}."
