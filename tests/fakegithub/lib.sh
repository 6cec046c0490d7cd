# lib.sh - the fake GitHub for end-to-end tests (sourced after tests/e2e/lib.sh).
#
#   fake_start [server.py options...]   starts a server on a free port; sets
#                                       FAKE_URL, FAKE_LOG and FAKE_PID
#   fake_stop                           stops it (also done on exit)
#   fake_check_db [QUERY [--stopped]]   the database holds what the server
#                                       matches for QUERY, every event once
#                                       (--stopped: and issues it marked as
#                                       no longer matching, as they are now)
#   fake_canon DB                       canonical dump of a database's issues
#   fake_change KIND N...               edits issues on the server
#   fake_config JSON                    changes fault settings
#   fake_py ARGS...                     runs check.py
#   log_count PYTHON-EXPR               how many log entries e satisfy EXPR
#
# Waits the client chooses are scaled by ISSUEMINE_WAIT_SCALE (0.01 here),
# so a 60 s secondary-limit wait takes 0.6 s; check.py waits asserts on the
# gaps in the server's request log.

FAKE_DIR="$ISSUEMINE_SRC/tests/fakegithub"
export ISSUEMINE_WAIT_SCALE=${ISSUEMINE_WAIT_SCALE:-0.01}
export ISSUEMINE_NOW=2024-06-01T00:00:00Z
# The fake GitHub is on 127.0.0.1, not github.com: as for any GitHub
# Enterprise host, its token comes from GH_ENTERPRISE_TOKEN. No real gh CLI
# may answer for it (tests that want one put a fake gh in GH_PATH).
unset GITHUB_TOKEN GH_TOKEN GH_ENTERPRISE_TOKEN GITHUB_ENTERPRISE_TOKEN GH_HOST
export GH_PATH=/nonexistent/gh
FAKE_PID=

fake_stop() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null || true
		wait "$FAKE_PID" 2>/dev/null || true
		FAKE_PID=
	fi
}
trap 'fake_stop; cd /; rm -rf "$TEST_DIR"' EXIT

fake_start() {
	fake_stop
	FAKE_LOG="$TEST_DIR/fake-$RANDOM.log"
	rm -f "$TEST_DIR/fake.port"
	python3 "$FAKE_DIR/server.py" --port-file "$TEST_DIR/fake.port" --log "$FAKE_LOG" \
		--search-limit 100000 "$@" >/dev/null 2>"$TEST_DIR/fake.err" &
	FAKE_PID=$!
	local i
	for i in $(seq 100); do
		[ -s "$TEST_DIR/fake.port" ] && break
		kill -0 "$FAKE_PID" 2>/dev/null || fail "fake GitHub did not start: $(cat "$TEST_DIR/fake.err")"
		sleep 0.1
	done
	[ -s "$TEST_DIR/fake.port" ] || fail "fake GitHub did not write its port"
	FAKE_URL="http://127.0.0.1:$(cat "$TEST_DIR/fake.port")"
}

fake_py() {
	python3 "$FAKE_DIR/check.py" "$@"
}

fake_check_db() {
	if [ $# -gt 0 ]; then
		local q=$1
		shift
		fake_py db "$FAKE_URL" "$ISSUEMINE_DB" --q "$q" "$@"
	else
		fake_py db "$FAKE_URL" "$ISSUEMINE_DB"
	fi
}

fake_canon() {
	fake_py canon "$1"
}

fake_change() {
	local kind=$1
	shift
	fake_py change "$FAKE_URL" "$kind" "$@" >/dev/null
}

fake_config() {
	fake_py config "$FAKE_URL" "$1" >/dev/null
}

# log_count EXPR: entries e of the request log for which the Python expression holds.
log_count() {
	python3 - "$FAKE_LOG" "$1" <<'EOF'
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(1 for e in entries if eval(sys.argv[2], {}, {"e": e})))
EOF
}
