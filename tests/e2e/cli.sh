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

# Output that cannot be written (a full disk) fails, rather than exiting 0 cut short.
if [ -w /dev/full ]; then
	got=0
	im help >/dev/full 2>full.err || got=$?
	assert_eq "$got" 1 "exit status of help on a full disk"
	assert_eq "$(cat full.err)" "issuemine: standard output: No space left on device"
fi

# "Did you mean", as git does: the closest commands and options, on the message's line.
run 2 fitler is:open
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine: 'fitler' is not an issuemine command; did you mean 'filter'?"
run 2 stat
assert_contains "$ERR" "did you mean 'stats'?"
run 2 s
assert_contains "$ERR" "did you mean 'stats', 'sql' or 'sets'?"
run 2 xyzzy
assert_not_contains "$ERR" "did you mean"
run 2 filter --cuont is:open
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine filter: unknown option '--cuont'; did you mean '--count'?"
run 2 report --sample s --tabel symptoms
assert_contains "$ERR" "unknown option '--tabel'; did you mean '--table' or '--label'?"
run 2 sample --from x --per-rep 3
assert_contains "$ERR" "did you mean '--per-repo'?"
run 2 --verison
assert_contains "$ERR" "unknown option '--verison'; did you mean '--version'?"
run 2 help fitler
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine help: 'fitler' is not an issuemine command; did you mean 'filter'?"
run 2 help __complete
assert_not_contains "$ERR" "did you mean"
run 2 sql --no-header=yes 'SELECT 1'
assert_eq "$(printf '%s\n' "$ERR" | head -1)" "issuemine sql: --no-header takes no value"
# The hidden completion command is never suggested nor listed.
run 2 __complet
assert_not_contains "$ERR" "did you mean"
run 0 help
assert_not_contains "$OUT" "__complete"
# Global options without a command still show the help, and exit 1.
run 1 --db "$TEST_DIR/x.db"
assert_contains "$OUT" "commands:"
[ ! -e "$TEST_DIR/x.db" ] || fail "no command created the database"
