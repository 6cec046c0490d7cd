# pipeline.sh - the whole study, stage by stage, as scripts/demo runs it against
# the fake GitHub: every command's output feeds the next, and the database ends
# up holding a complete, consistent study.
. "$(dirname "$0")/lib.sh"

ISSUEMINE="$ISSUEMINE" "$ISSUEMINE_SRC/scripts/demo" "$TEST_DIR/demo" >demo.out 2>demo.err ||
	{ cat demo.out demo.err >&2; fail "scripts/demo failed"; }
export ISSUEMINE_DB="$TEST_DIR/demo/demo.db"
OUT=$(cat demo.out)

# fetch: both repositories, complete timelines, nothing pending.
assert_eq "$(q "SELECT group_concat(full_name, ' ') FROM (SELECT full_name FROM repositories ORDER BY full_name)")" \
	"onnx/tensorflow-onnx pytorch/pytorch"
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
assert_eq "$(q "SELECT count(*) FROM issues i WHERE NOT EXISTS (SELECT 1 FROM timeline_state t WHERE t.issue_id = i.id)")" 0
# filter: the saved set is exactly what the shipped query matches now.
relevant=$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'relevant'")
assert_eq "$(im filter --query onnx-converters --count)" "$relevant"
assert_contains "$OUT" "saved $relevant issues as set 'relevant'"
# validate printed a row per repository.
assert_contains "$OUT" "onnx/tensorflow-onnx "
# sample: 25 per repository, all from 'relevant'; the tranche comes from the sample.
assert_eq "$(q "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM set_members m JOIN sets s ON s.id = m.set_id JOIN issues i ON i.id = m.issue_id WHERE s.name = 'study' GROUP BY i.repo_id)")" "25 25"
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'study' AND m.issue_id NOT IN (SELECT issue_id FROM set_members x JOIN sets r ON r.id = x.set_id WHERE r.name = 'relevant')")" 0
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'drift'")" 10
# codes: three raters with every issue coded in every dimension.
assert_eq "$(q "SELECT group_concat(name || '=' || n, ' ') FROM (SELECT r.name, count(*) AS n FROM codes c JOIN raters r ON r.id = c.rater_id GROUP BY r.name ORDER BY r.name)")" \
	"alice=150 bob=150 consensus=150"
# The label UI's first screen was printed, blind (carol has coded nothing).
assert_contains "$OUT" "issuemine label - study - rater carol"
assert_contains "$OUT" "0/50 coded"
# agree: kappa per dimension from the same codes; JSON agrees with the text.
im agree --sample study --raters alice,bob --format json >agree.json
python3 - agree.json <<'PY'
import json, sys
dims = {d["dimension"]: d for d in json.load(open(sys.argv[1]))}
assert set(dims) == {"symptom", "location", "cause"}, dims
for d in dims.values():
    assert d["n"] == 50, d
    assert 0.5 < d["kappa"] < 1.0, d
    assert d["ci_low"] < d["kappa"] < d["ci_high"], d
PY
# reconcile --list names exactly the issues where the two disagree.
disagreements=$(q "SELECT count(*) FROM codes a JOIN codes b ON a.set_id = b.set_id AND a.issue_id = b.issue_id AND a.dimension_id = b.dimension_id JOIN raters ra ON ra.id = a.rater_id JOIN raters rb ON rb.id = b.rater_id WHERE ra.name = 'alice' AND rb.name = 'bob' AND (a.category_id <> b.category_id OR a.subcategory_id IS NOT b.subcategory_id)")
[ "$disagreements" -gt 0 ] || fail "the demo's raters never disagree"
assert_contains "$OUT" "$disagreements disagreements on"
# report: totals match the sample; LaTeX and figures were written.
# (the column titles come from the demo's report.name settings)
assert_contains "$OUT" "Symptom            tf2onnx  torch.onnx      Total"
assert_contains "$OUT" "Total            25 (100%)   25 (100%)  50 (100%)"
grep -q '\\toprule' "$TEST_DIR/demo/tables.tex" || fail "tables.tex is not a booktabs table"
for t in symptoms locations causes subcauses cause-symptom cause-location over-time; do
	grep -q '\\caption{' "$TEST_DIR/demo/tables/$t.tex" || fail "tables/$t.tex has no caption"
done
assert_contains "$OUT" "bootstrap: 1000 resamples of the issues, seed 7, percentile intervals"
for f in fig5 fig6; do
	grep -q '<svg' "$TEST_DIR/demo/$f.svg" || fail "$f.svg is not SVG"
done
assert_contains "$OUT" "release size  issues"
assert_eq "$(q 'PRAGMA integrity_check')" ok
# The funnel, the REFI-QDA project, and the replication package checked by its own reproduce.sh.
assert_contains "$OUT" "Funnel of the study"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert "project.qde" in z.namelist() and len(z.namelist()) == 51' \
	"$TEST_DIR/demo/study.qdpx" || fail "study.qdpx is not a project of the 50 issues"
assert_contains "$OUT" "archived sample 'study' in artifact:"
assert_contains "$OUT" "reproduce.sh: all "
assert_contains "$OUT" " files are the same"
for f in README.md reproduce.sh issuemine.db tables/latex/funnel.tex figures/releases.svg codes/consensus.csv; do
	[ -s "$TEST_DIR/demo/artifact/$f" ] || fail "the demo's archive lacks $f"
done
