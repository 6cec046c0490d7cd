# fixes_faults.sh - 502s, dropped connections, truncated bodies, secondary and
# primary rate limits while fetching fixes: the same fix tables as a clean run.
# Faults that persist end the run with one line, keeping what it stored, and
# the same command finishes the job.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fixcheck() {
	python3 "$FAKE_DIR/fixcheck.py" "$@"
}
corpus=(--seed 12 --issues 300 --profile lean --repo pytorch/pytorch)

# The issues and a set, once; each run below starts from a copy.
fake_start "${corpus[@]}"
run 0 --db base.db fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 --db base.db filter --save study 'is:issue is:closed'
for db in clean faults persist; do
	cp base.db $db.db
done

# The reference: a clean run.
run 0 --db clean.db fixes fetch -q --api-url "$FAKE_URL" --set study
ISSUEMINE_DB=clean.db fixcheck db "$FAKE_URL" clean.db study >/dev/null
clean=$(fixcheck canon clean.db)
clean_requests=$(fixcheck requests "$FAKE_LOG")

# Every kind of fault, secondary limits with and without retry-after, and a
# primary limit spent (403, x-ratelimit-remaining: 0, a reset 1 s later).
fake_start "${corpus[@]}" --p502 0.05 --pdrop 0.03 --ptruncate 0.05 \
	--secondary "5:20,40,41,90:1" --primary403 "60:1"
run 0 --db faults.db fixes fetch --api-url "$FAKE_URL" --set study --format json
assert_eq "$(fixcheck canon faults.db)" "$clean" "fix tables after faults vs a clean run"
for fault in 502 drop truncate truncate-json secondary primary; do
	grep -q "\"fault\": \"$fault\"" "$FAKE_LOG" || fail "no '$fault' fault was injected"
done
faults=$(log_count 'e["fault"] is not None')
assert_eq "$(log_count 'True')" $(($(log_count 'e["fault"] is None') + faults))
# Each fault costs one more request, nothing else: the same answers as the clean run
# (and the free GET /rate_limit the client asks while it waits for the reset).
assert_eq "$(log_count 'e["fault"] is None and e.get("kind") != "rate_limit"')" "$(python3 -c "import json,sys; print(sum(json.loads(sys.argv[1]).values()))" "$clean_requests")"
waits=$(fake_py waits "$FAKE_LOG" --scale "$ISSUEMINE_WAIT_SCALE")
assert_contains "$waits" '"retry-after": 2'
assert_contains "$waits" '"secondary": 2'
assert_contains "$ERR" "secondary rate limit, waiting"

# Faults that do not go away: one line after the retries, what was stored stays.
fake_start "${corpus[@]}" --p502 0.02
"$ISSUEMINE" --db persist.db fixes fetch -q --api-url "$FAKE_URL" --set study >persist.out 2>persist.err &
pid=$!
for i in $(seq 300); do
	[ "$(grep -c '"kind": "pull"' "$FAKE_LOG")" -gt 20 ] && break
	sleep 0.05
done
fake_config '{"p502": 1}'
rc=0
wait $pid || rc=$?
assert_eq "$rc" 1 "exit status after persistent 502s"
err=$(cat persist.err)
one_line "$err"
assert_contains "$err" "issuemine: fixes fetch: pytorch/pytorch#"
assert_contains "$err" "GitHub answered 502 Bad Gateway (gave up after 8 tries)"
assert_contains "$err" "run the same command again to resume"
stored=$(im --db persist.db sql --no-header "SELECT count(*) FROM fix_changes" | tr -d '\r')
[ "$stored" -gt 10 ] || fail "only $stored changes kept after the failure"
fixcheck partial persist.db clean.db >/dev/null
# GitHub recovers: the same command finishes, to the same tables.
fake_config '{"p502": 0}'
run 0 --db persist.db fixes fetch -q --api-url "$FAKE_URL" --set study --format json
assert_contains "$OUT" '"resolved_before": '
assert_eq "$(fixcheck canon persist.db)" "$clean" "fix tables after a failure and a rerun"
