# queries.sh - "issuemine queries": the shipped queries, compiled in.
. "$(dirname "$0")/lib.sh"

run 0 queries
assert_contains "$OUT" "onnx-converters       Failure analysis of ONNX converters, paper section 5.1.1 / Figure 4"
# Every file in queries/ is listed and parses.
for f in "$ISSUEMINE_SRC"/queries/*.query; do
	name=$(basename "$f" .query)
	assert_contains "$OUT" "$name"
	run 0 queries show "$name"
	assert_eq "$OUT" "$(cat "$f")"
	run 0 filter --explain --query "$name"
done
run 0 queries --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(sorted(q["name"] for q in json.load(sys.stdin)))')" \
	"$(cd "$ISSUEMINE_SRC/queries" && ls *.query | sed 's/\.query$//' | python3 -c 'import sys; print(sorted(l.strip() for l in sys.stdin))')"
run 0 queries show onnx-converters --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; q = json.load(sys.stdin); print(q["name"], q["text"] == open(sys.argv[1]).read())' "$ISSUEMINE_SRC/queries/onnx-converters.query")" "onnx-converters True"
run 1 queries show nope
assert_contains "$ERR" "no shipped query named 'nope'"
run 2 queries frob
