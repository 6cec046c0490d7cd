# filter_errors.sh - malformed queries: one line naming the place and what was
# expected, then the query line with a caret under the column; exit 1.
. "$(dirname "$0")/lib.sh"

run 0 import -q "$DATA/filter-corpus.json"

# syntax_error QUERY MESSAGE CARET_LINE: checks the message and where the caret points.
syntax_error() {
	run 1 filter -- "$1"
	assert_contains "$(printf '%s\n' "$ERR" | head -1)" "$2" "error of '$1'"
	assert_eq "$(printf '%s\n' "$ERR" | sed -n 3p)" "$3" "caret of '$1'"
	assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 3 "lines of the error of '$1'"
}
syntax_error 'is:issue (label:bug' "issuemine: query: line 1, column 20: expected ')' to close the '(' of line 1, column 10, found the end of the query" \
	"                       ^"
syntax_error 'is:closed OR' "line 1, column 13: expected a term or '(', found the end of the query" \
	"                ^"
syntax_error 'is:issue)' "line 1, column 9: unexpected ')'" "            ^"
run 2 filter --explain --save x is:open
assert_contains "$ERR" "issuemine filter: --explain runs nothing: not with --save"
run 2 filter --explain --count is:open
assert_contains "$ERR" "--explain runs nothing: not with --count"
syntax_error 'is:sometimes' "line 1, column 4: expected issue, pr, open, closed or gone after is:" "       ^"
syntax_error 'is:closed or is:open' "line 1, column 11: 'or' searches for the word; write OR for the operator" "              ^"
syntax_error 'export"fails' "line 1, column 7: unterminated quoted string" "          ^"
syntax_error 'colour:red' "line 1, column 1: unknown term 'colour:'" "    ^"
syntax_error 'label:"module: onnx' "line 1, column 7: unterminated quoted string" "          ^"
syntax_error 'created:>=2021-13-45' "line 1, column 11: expected a date (YYYY-MM-DD or an ISO 8601 time), found '2021-13-45'" \
	"              ^"
syntax_error 'events:>=many' "line 1, column 10: expected a whole number, found 'many'" "             ^"
syntax_error 'title:/(unclosed/' "bad pattern /(unclosed/: missing closing parenthesis at offset 9" "                    ^"
syntax_error 'title:/x/g' "line 1, column 10: unknown pattern flag 'g'" "             ^"
syntax_error 'title:x' "line 1, column 7: expected /PATTERN/ or /PATTERN/i after 'title:'" "          ^"
syntax_error 'event:closed[commit' "line 1, column 13: expected ']' to close this '['" "                ^"
syntax_error 'event:closed[commit state=closed]' "line 1, column 21: expected ',' or ']' after a condition" \
	"                        ^"
syntax_error 'event:closed[commit=1]' "line 1, column 20: 'commit' takes no value" "                       ^"
syntax_error 'event:closed[-state=open]' "'-' negates only commit and pr" "                 ^"
syntax_error 'event:closed[source.issue]' "line 1, column 26: expected '=' or '!=' after 'source.issue'" \
	"                             ^"
syntax_error 'event:cross-referenced[repo=a/b/c]' "expected a repository NAME or OWNER/NAME, found 'a/b/c'" \
	"                                ^"
syntax_error 'repo:pytorch' "expected a repository OWNER/NAME, found 'pytorch'" "         ^"
syntax_error '- label:bug' "line 1, column 1: expected a term or '(' right after '-'" "    ^"
syntax_error '' "empty query" "    ^"
syntax_error '# only a comment' "line 1, column 1: empty query" "    ^"
# Columns count characters, not bytes; the caret line keeps tabs.
syntax_error 'title:/é/ (' "line 1, column 12: expected a term or '('" "               ^"
run 1 filter "$(printf 'is:issue\tis:nothing')"
assert_eq "$(printf '%s\n' "$ERR" | sed -n 3p)" "$(printf '            \t   ^')"

# In a file, the line is the file's and the file is named.
printf '# my filter\nis:issue\n  (label:bug OR label:)\n' >bad.query
run 1 filter --query-file bad.query
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine: bad.query: line 3, column 23: expected a name after label:"
assert_eq "$(printf '%s\n' "$ERR" | sed -n 2p)" "      (label:bug OR label:)"
assert_eq "$(printf "%s\n" "$ERR" | sed -n 3p)" "                          ^"
# An unfinished query points after its last term, not past the end of the file.
printf 'is:issue\n(label:bug OR\n  label:docs # more to come\n\n' >open.query
run 1 filter --query-file open.query
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine: open.query: line 3, column 13: expected ')' to close the '(' of line 2, column 1, found the end of the query"
assert_eq "$(printf '%s\n' "$ERR" | sed -n 3p)" "                ^"
run 1 filter --query-file missing.query
assert_contains "$ERR" "missing.query: No such file or directory"
one_line "$ERR"
# Nothing is saved when the query is bad.
run 1 filter --save x 'is:'
assert_eq "$(q "SELECT count(*) FROM sets")" 0
# Without a database: a one-line error, not an empty result.
run 1 --db "$TEST_DIR/none.db" filter is:issue
one_line "$ERR"
assert_contains "$ERR" "none.db: No such file or directory"
