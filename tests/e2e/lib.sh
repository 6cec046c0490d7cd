# lib.sh - helpers of the end-to-end tests (sourced by tests/e2e/*.sh).
#
# Each test runs in a fresh temporary directory with its own database
# ($ISSUEMINE_DB), runs the real binary ($ISSUEMINE, set by ctest) and checks
# exit codes, output and the database (through "issuemine sql").
set -euo pipefail

: "${ISSUEMINE:?run through ctest, which sets ISSUEMINE}"
: "${ISSUEMINE_SRC:?run through ctest, which sets ISSUEMINE_SRC}"
DATA="$ISSUEMINE_SRC/tests/data"
# ISSUEMINE_WRAPPER runs every command under a tool, e.g. valgrind (see scripts/valgrind).
read -r -a WRAPPER <<<"${ISSUEMINE_WRAPPER:-}"
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/issuemine-e2e.XXXXXX")
export ISSUEMINE_DB="$TEST_DIR/test.db"
cd "$TEST_DIR"
trap 'cd /; rm -rf "$TEST_DIR"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# im ARGS...: runs issuemine.
im() {
	"${WRAPPER[@]}" "$ISSUEMINE" "$@"
}

# run CODE ARGS...: runs issuemine, expects exit status CODE; leaves $OUT and $ERR.
run() {
	local want=$1 got=0
	shift
	"${WRAPPER[@]}" "$ISSUEMINE" "$@" >"$TEST_DIR/.out" 2>"$TEST_DIR/.err" || got=$?
	OUT=$(cat "$TEST_DIR/.out")
	ERR=$(cat "$TEST_DIR/.err")
	if [ "$got" != "$want" ]; then
		echo "--- stdout:" >&2
		echo "$OUT" >&2
		echo "--- stderr:" >&2
		echo "$ERR" >&2
		fail "issuemine $* exited $got, expected $want"
	fi
}

# q SQL: prints the result of a query without header, CR stripped.
q() {
	"$ISSUEMINE" sql --no-header "$1" | tr -d '\r'
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

assert_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "${3:-output} does not contain '$2': $1" ;;
	esac
}

assert_not_contains() {
	case "$1" in
	*"$2"*) fail "${3:-output} contains '$2': $1" ;;
	*) ;;
	esac
}

# one_line TEXT: fails unless TEXT is exactly one line.
one_line() {
	[ "$(printf '%s\n' "$1" | wc -l)" = 1 ] || fail "expected a one-line message, got: $1"
}
