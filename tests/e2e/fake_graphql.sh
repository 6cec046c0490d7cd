# fake_graphql.sh - the fake GitHub's GraphQL endpoint itself (tests/fakegithub/test_graphql.py):
# GitHub's cost formula and node limit, the search cap and paging, the corpus seen
# through GraphQL matching REST, validation and errors, and its faults.
. "$(dirname "$0")/lib.sh"

cd "$ISSUEMINE_SRC/tests/fakegithub"
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest -q test_graphql 2>"$TEST_DIR/unittest.err" ||
	fail "$(cat "$TEST_DIR/unittest.err")"
