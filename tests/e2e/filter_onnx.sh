# filter_onnx.sh - the shipped ONNX-converter query (paper section 5.1.1) on a
# corpus with one issue per timeline condition, one failing each, labelled
# exclusions, pull requests and open issues; and the ways to give a query.
. "$(dirname "$0")/lib.sh"

run 0 import -q "$DATA/filter-corpus.json"
want="onnx/tensorflow-onnx#20 onnx/tensorflow-onnx#21 pytorch/pytorch#1 pytorch/pytorch#15 pytorch/pytorch#2 pytorch/pytorch#3 pytorch/pytorch#4 pytorch/pytorch#5"
# qraw SQL: the first column of the first row, as stored (not CSV-quoted).
qraw() {
	"$ISSUEMINE" sql --format json "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(list(r.values())[0])'
}
refs() {
	printf '%s\n' "$1" | tr -d '\r' | tail -n +2 | cut -d, -f1,2 | tr , '#' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# The compiled-in query works from any directory.
mkdir elsewhere && cd elsewhere
run 0 filter --query onnx-converters --format csv
assert_eq "$(refs "$OUT")" "$want" "onnx-converters"
run 0 filter --query onnx-converters --count
assert_eq "$OUT" 8
run 0 filter --query onnx-converters --count --format json
assert_contains "$OUT" '"count": 8'
cd ..

# The file in queries/ gives the same, and so does standard input.
run 0 filter --query-file "$ISSUEMINE_SRC/queries/onnx-converters.query" --format csv
assert_eq "$(refs "$OUT")" "$want" "--query-file"
run 0 filter --query-file - --format csv <"$ISSUEMINE_SRC/queries/onnx-converters.query"
assert_eq "$(refs "$OUT")" "$want" "--query-file -"
run 0 queries show onnx-converters
assert_eq "$OUT" "$(cat "$ISSUEMINE_SRC/queries/onnx-converters.query")"

# Table output: one line per issue with repository, number, title, day, URL, and a count.
run 0 filter --query onnx-converters
assert_contains "$OUT" "pytorch/pytorch#15       Question-labelled but fixed"
assert_contains "$OUT" "2020-01-15  https://github.com/onnx/tensorflow-onnx/issues/20"
assert_contains "$OUT" "8 issues"
# JSON output carries every field.
run 0 filter --query onnx-converters --format json
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d), d[0]["repository"], d[0]["number"], d[0]["url"])')" \
	"8 onnx/tensorflow-onnx 20 https://github.com/onnx/tensorflow-onnx/issues/20"

# --explain shows SQL whose values are all bound parameters, with their values.
run 0 filter --query onnx-converters --explain
assert_contains "$OUT" "EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.event = ?8"
assert_contains "$OUT" "-- ?11 = 'tensorflow-onnx' (text)"
assert_not_contains "$(printf '%s\n' "$OUT" | grep -v '^--')" "'module: onnx'" "SQL text"
# User text never reaches the SQL: a quote in a label is only a value.
run 0 filter --explain "label:\"x' OR 1=1 --\""
assert_contains "$OUT" "l.name = ?1"
assert_contains "$OUT" "-- ?1 = 'x' OR 1=1 --' (text)"
run 0 filter --count "label:\"x' OR 1=1 --\""
assert_eq "$OUT" 0

# --save keeps the matches and the query text; saving again needs --replace.
run 0 filter --query onnx-converters --save relevant
assert_eq "$OUT" "saved 8 issues as set 'relevant'"
assert_eq "$(q "SELECT kind || ' ' || size FROM (SELECT kind, (SELECT count(*) FROM set_members m WHERE m.set_id = s.id) AS size FROM sets s WHERE name = 'relevant')")" "filter 8"
assert_eq "$(qraw "SELECT origin FROM sets WHERE name = 'relevant'")" "$(cat "$ISSUEMINE_SRC/queries/onnx-converters.query")"
# Members are kept in repository and number order.
assert_eq "$(q "SELECT group_concat(i.number, ' ') FROM (SELECT i.number FROM set_members m JOIN issues i ON i.id = m.issue_id JOIN sets s ON s.id = m.set_id WHERE s.name = 'relevant' ORDER BY m.position) i")" "20 21 1 2 3 4 5 15"
run 1 filter is:open --save relevant
one_line "$ERR"
assert_contains "$ERR" "a set named 'relevant' already exists (add --replace"
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'relevant'")" 8
run 0 filter is:open --save relevant --replace
assert_eq "$OUT" "saved 2 issues as set 'relevant'"
assert_eq "$(q "SELECT origin FROM sets WHERE name = 'relevant'")" "is:open"
# A saved filter set's query can be run again by name.
run 0 filter --query relevant --count
assert_eq "$OUT" 2
run 2 filter --replace is:open
run 2 filter is:open --save " bad"
run 2 filter
assert_contains "$ERR" "no query given"
run 2 filter --query onnx-converters is:open
assert_contains "$ERR" "give one query"
run 1 filter --query no-such-query
assert_contains "$ERR" "no query named 'no-such-query'"
one_line "$ERR"
