# study.sh - sourced by tests/e2e/archive.sh and qdpx.sh after lib.sh: a study
# with a lineage (filter set, then a seeded sample), three raters, notes,
# an exclusion and study settings, on the corpus of dump.py.
#
# make_archive_study imports the corpus, saves the paper's filter as
# 'relevant', draws 'study' (8 per repository, seed 7) and imports the codes
# of alice, bob and consensus (codes.py).

make_archive_study() {
	python3 "$DATA/archive/dump.py" >"$TEST_DIR/corpus.json"
	im import -q "$TEST_DIR/corpus.json" >/dev/null
	im filter --query onnx-converters --save relevant >/dev/null
	im sample --from relevant --per-repo 8 --seed 7 --save study >/dev/null
	im sets show study --format csv | tr -d '\r' >"$TEST_DIR/members.csv"
	python3 "$DATA/archive/codes.py" "$TEST_DIR/members.csv" "$TEST_DIR"
	for r in alice bob consensus; do
		im codes import "$TEST_DIR/$r.csv" --sample study >/dev/null
	done
	im config report.rater consensus >/dev/null
	im config report.name.pytorch/pytorch torch.onnx >/dev/null
}
