# fetch_limits.sh - primary rate limits (per resource, with short windows) and
# secondary ones: the fetch waits until each reset time before it asks again,
# honours retry-after, and says so on the progress line. Asserted on the gaps
# in the server's request log, never on wall-clock time.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
# core: 40 requests per 3 s; search: 1 a second. Request 12 is refused as if
# the core limit were spent (reset a second later); 30 and 31 hit a secondary
# limit, with and without retry-after.
fake_start --seed 4 --issues 130 --search-cap 200 --profile lean \
	--core-limit 40 --core-window 3 --search-limit 1 --search-window 1 \
	--primary403 12:1 --secondary 30:40,31
query='repo:acme/widgets is:issue'
run 0 fetch --api rest --api-url "$FAKE_URL" --state all --format json acme/widgets
fake_check_db "$query" >/dev/null

# Every time a resource ran out, the next request for it came after its reset,
# and within 0.2 s of it: the client asks GET /rate_limit (free) near the reset
# until its bounds on GitHub's clock are that narrow.
waits=$(fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE" --max-late 0.2)
echo "fetch_limits: $waits"
resets=$(printf '%s' "$waits" | sed -n 's/.*"reset": \([0-9]*\).*/\1/p')
[ "$resets" -ge 3 ] || fail "only $resets exhausted limits in the log: $waits"
assert_contains "$waits" '"retry-after": 1, "secondary": 1'
# Both resources ran out, and the fetch never asked while it knew a limit was spent.
[ "$(log_count 'e["resource"] == "search" and e["remaining"] == 0 and e["status"] == 200')" -gt 0 ] || fail "search limit never reached"
[ "$(log_count 'e["resource"] == "core" and e["remaining"] == 0 and e["status"] == 200')" -gt 0 ] || fail "core limit never reached"
assert_eq "$(log_count 'e["fault"] == "exhausted"')" 0 "requests refused for a spent limit"
assert_eq "$(log_count 'e["fault"] == "primary"')" 1
[ "$(log_count 'e.get("kind") == "rate_limit"')" -gt 0 ] || fail "no GET /rate_limit near a reset"
# The waits were on the progress line, and in the summary.
assert_contains "$ERR" "rate limit (core) exhausted, waiting"
assert_contains "$ERR" "rate limit (search) exhausted, waiting"
assert_contains "$ERR" "secondary rate limit, waiting"
waited=$(printf '%s\n' "$OUT" | sed -n 's/.*"waited_seconds": \([0-9]*\).*/\1/p')
[ "$waited" -ge 4 ] || fail "waited only $waited s"

# A client clock a minute ahead of GitHub's: reset times are GitHub's, so the
# fetch reads GitHub's clock from the Date headers and still waits until each
# reset, never asking early, and not late either.
fake_start --seed 4 --issues 20 --profile lean --core-limit 10 --core-window 1 --clock-skew -60
run 0 --db skew.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
ISSUEMINE_DB=skew.db fake_check_db 'repo:acme/widgets is:issue is:closed' >/dev/null
assert_eq "$(log_count 'e["fault"] == "exhausted"')" 0 "requests refused for a spent limit (clock ahead)"
waits=$(fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE" --max-late 0.2)
resets=$(printf '%s' "$waits" | sed -n 's/.*"reset": \([0-9]*\).*/\1/p')
[ "$resets" -ge 1 ] || fail "the core limit never ran out: $waits"
