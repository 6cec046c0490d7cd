# cli.sh - the command line itself: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"

run 0 --version
assert_contains "$OUT" "issuemine "
run 0 help
list=$OUT
for c in import stats sql help; do
	assert_contains "$list" "    $c" "help lists $c"
	run 0 "$c" --help
	assert_contains "$OUT" "usage: issuemine $c"
	assert_contains "$OUT" "--db PATH"
	run 0 help "$c"
	assert_contains "$OUT" "usage: issuemine $c"
done
# No command is a usage error that shows the help, as git does.
run 1
assert_contains "$OUT" "commands:"
run 0 --help
assert_contains "$OUT" "commands:"

run 2 frobnicate
assert_contains "$ERR" "'frobnicate' is not an issuemine command"
run 2 --frob
assert_contains "$ERR" "unknown option '--frob'"
run 2 import --bogus x.json
assert_contains "$ERR" "unknown option '--bogus'"
run 2 import
assert_contains "$ERR" "no FILE given"
run 2 stats --format xml
assert_contains "$ERR" "'xml' is not one of text or json"
run 2 sql
run 2 help frobnicate
run 2 import --repo notarepo x.json
assert_contains "$ERR" "--repo: 'notarepo' is not OWNER/NAME"
# --db before the command and after it.
run 0 --db "$TEST_DIR/other.db" import "$DATA/dump-small.json"
[ -f "$TEST_DIR/other.db" ] || fail "--db before the command was ignored"
run 0 stats --db="$TEST_DIR/other.db"
assert_contains "$OUT" "pytorch/pytorch"
[ ! -f "$ISSUEMINE_DB" ] || fail "the default database was created anyway"
