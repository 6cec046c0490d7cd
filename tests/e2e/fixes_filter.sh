# fixes_filter.sh - the query terms over fixes: "filter" agrees with an
# independent Python reference (tests/e2e/fixes_reference.py) on a database
# where some issues have fix data and some do not, counts both kinds, plans
# reach the fix tables by index, the terms work in saved queries and
# "validate", and a bad glob or pattern is a one-line error with a caret.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 14 --issues 300 --profile lean --repo pytorch/pytorch
run 0 fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 filter --save all 'is:issue'
run 0 sample --from all --n 150 --seed 2 --save study
run 0 fixes fetch -q --api-url "$FAKE_URL" --set study
fake_stop

python3 "$ISSUEMINE_SRC/tests/e2e/fixes_reference.py" "$ISSUEMINE" "$ISSUEMINE_DB"

# The note: on stderr, so listings stay clean.
run 0 filter --format csv 'fix:pr'
assert_contains "$ERR" "issues without fix data might match once their fixes are fetched (see 'issuemine fixes fetch')"
run 0 filter --count -- '-fix:pr'
assert_contains "$ERR" "of the matches have no fix data: a fix term does not hold there, so its negation does"
one_line "$ERR"
assert_not_contains "$OUT" "fix data"
run 0 filter --count 'is:issue'
assert_eq "$ERR" ""

# Saved queries and validate take the terms too.
run 0 filter --save merged-fixes 'fix:merged fix.path:torch/onnx/**'
saved=$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id WHERE s.name = 'merged-fixes'")
[ "$saved" -gt 0 ] || fail "no issue saved"
run 0 filter --query merged-fixes --count
assert_eq "$OUT" "$saved"
q "SELECT r.full_name || '#' || i.number, CASE WHEN i.number % 2 THEN 'yes' ELSE 'no' END FROM set_members m JOIN sets s ON s.id = m.set_id JOIN issues i ON i.id = m.issue_id JOIN repositories r ON r.id = i.repo_id WHERE s.name = 'study'" |
	{ echo "issue,relevant"; cat; } >truth.csv
run 0 validate --truth truth.csv 'fixes:>=1'
assert_contains "$OUT" "pytorch/pytorch"
assert_eq "$ERR" ""
# Issues of the truth file without fix data are counted, not silently classed.
q "SELECT r.full_name || '#' || i.number, 1 FROM issues i JOIN repositories r ON r.id = i.repo_id WHERE i.id NOT IN (SELECT issue_id FROM fix_state) AND i.state IS NOT NULL LIMIT 7" >>truth.csv
run 0 validate --format json --truth truth.csv 'fixes:>=1'
assert_contains "$(echo "$OUT" | tr -d ' \n')" '"without_fix_data":7'
assert_eq "$ERR" "issuemine: warning: truth.csv: 7 of the issues classed have no fix data: a fix term does not hold there, so its negation does (see 'issuemine fixes fetch')"
run 0 validate --format json --truth truth.csv 'is:issue'
assert_contains "$(echo "$OUT" | tr -d ' \n')" '"without_fix_data":0'
run 0 filter --explain 'fix.path:torch/onnx/** fix.files:<=5'
assert_contains "$OUT" "SEARCH fx USING PRIMARY KEY (issue_id=?)"
assert_contains "$OUT" "SEARCH ff USING INDEX"
assert_not_contains "$OUT" "SCAN ff"

# syntax_error QUERY MESSAGE CARET_LINE: one line, then the query with a caret.
syntax_error() {
	run 1 filter -- "$1"
	assert_contains "$(printf '%s\n' "$ERR" | head -1)" "$2" "error of '$1'"
	assert_eq "$(printf '%s\n' "$ERR" | sed -n 3p)" "$3" "caret of '$1'"
	assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 3 "lines of the error of '$1'"
}
syntax_error 'fix.path:"torch/[onnx"' "issuemine: query: line 1, column 17: expected ']' to close this '[' of the glob" \
	"                    ^"
syntax_error 'fix.path:a\' "line 1, column 11: a '\\' at the end of the glob quotes nothing" "              ^"
syntax_error 'fix.path:/symbolic(\d+/' "line 1, column 23: bad pattern /symbolic(\\d+/: missing closing parenthesis at offset 12" \
	"                          ^"
syntax_error 'fix.path:/x/g' "line 1, column 13: unknown pattern flag 'g'" "                ^"
syntax_error 'fix.path:' "line 1, column 10: expected a glob (torch/onnx/**) or a /PATTERN/" "             ^"
syntax_error 'fix:maybe' "line 1, column 5: expected pr, commit, merged or gone after fix:" "        ^"
syntax_error 'fixes:lots' "line 1, column 7: expected a whole number, found 'lots'" "          ^"
syntax_error 'fix.lines:3' "line 1, column 1: unknown term 'fix.lines:'" "    ^"
