# raters_jobs.sh - "issuemine code --with" running commands at once (-j 4),
# killing those that hang past --timeout and whatever a command leaves
# behind, stopping cleanly on SIGTERM, and resuming after kill -9 of
# issuemine itself with no command left running and nothing half-stored; one
# run per rater and sample at a time (a lease, taken over from a dead run).
. "$(dirname "$0")/lib.sh"

# Every command line holds the test directory, so its processes can be found.
RATER="python3 $DATA/raters/fake_rater.py $TEST_DIR"
export FAKE_RATER_PLAN=$TEST_DIR/plan.json FAKE_RATER_LOG=$TEST_DIR/log FAKE_RATER_MARK=$TEST_DIR
python3 "$DATA/raters/make_corpus.py" 24 >corpus.json
run 0 import corpus.json
run 0 filter 'repo:acme/widgets' --save all
run 0 sample --from all --n 24 --seed 9 --save study

# Processes of this test still running (issuemine's commands, what they left behind).
leftovers() {
	pgrep -f -- "$TEST_DIR" | grep -v "^$$\$" || true
}

# wait_for N WHAT: waits (at most 60 s) until the log has N lines starting with WHAT.
wait_for() {
	for _ in $(seq 600); do
		[ "$(grep -c "^$2 " log 2>/dev/null || true)" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "the log never had $1 '$2' lines"
}

# The most commands that were running at one moment, from the log's start and end times.
max_running() {
	awk '{ print $4, ($1 == "start") ? 1 : -1 }' log | sort -n |
		awk '{ n += $2; if (n > max) max = n } END { print max + 0 }'
}

# --- -j 4: four commands at once, never more, each issue once ---
echo '{"*": "sleep:0.4"}' >plan.json
run 0 code --sample study --rater quad --with "$RATER" -j 4 --max-issues 12 -q
assert_contains "$OUT" "12 issues to code: 12 coded, 0 excluded, 0 failed, 0 timed out, 0 invalid"
assert_contains "$OUT" "4 at a time"
assert_eq "$(max_running)" 4 "most commands at once"
assert_eq "$(grep -c '^start ' log)" 12
assert_eq "$(awk '$1 == "start" { print $2 }' log | sort -u | wc -l)" 12
assert_eq "$(q "SELECT jobs FROM rater_runs")" 4
# --max-issues took the first 12 of the sample's order.
assert_eq "$(awk '$1 == "start" { print $2 }' log | sort -n | tr '\n' ' ')" \
	"$(q "SELECT i.number FROM set_members m JOIN issues i ON i.id = m.issue_id
	      JOIN sets s ON s.id = m.set_id WHERE s.name = 'study' AND m.position < 12
	      ORDER BY i.number" | tr '\n' ' ')"

# --- a hang past --timeout is killed, recorded, and the run goes on ---
: >log
echo '{"*": "hang"}' >plan.json
run 1 code --sample study --rater slow --with "$RATER" -j 3 --max-issues 3 --timeout 1 -q
assert_contains "$OUT" "3 issues to code: 0 coded, 0 excluded, 0 failed, 3 timed out, 0 invalid"
assert_contains "$OUT" "timeout: ran past the timeout of 1 s and was killed"
assert_eq "$(q "SELECT status || ' ' || signal FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'slow'" | sort -u)" "timeout 9"
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'slow'")" 0
sleep 0.3
assert_eq "$(leftovers)" "" "processes left after the timeouts"

# --- what a command leaves running is killed when it ends ---
echo '{"*": "leave-behind"}' >plan.json
run 0 code --sample study --rater left --with "$RATER" --max-issues 2 -q
sleep 0.3
assert_eq "$(leftovers)" "" "processes a command left behind"

# --- SIGTERM stops the run: commands killed, answers kept, the run marked unfinished ---
: >log
echo '{"*": "sleep:0.3"}' >plan.json
"$ISSUEMINE" code --sample study --rater term --with "$RATER" -j 2 -q >term.out 2>term.err &
pid=$!
wait_for 4 end
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "exit status after SIGTERM"
assert_contains "$(cat term.out)" "interrupted: "
assert_contains "$(cat term.err)" "interrupted; rerun to resume"
sleep 0.3
assert_eq "$(leftovers)" "" "processes left after SIGTERM"
assert_eq "$(q "SELECT count(*) FROM rater_runs r JOIN raters x ON x.id = r.rater_id WHERE x.name = 'term' AND finished_at IS NULL")" 1
# Of the 4 that had answered, at most 2 (-j 2) were still exiting when the signal came.
coded=$(q "SELECT count(*) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'term'")
[ "$coded" -ge 2 ] && [ "$coded" -lt 24 ] || fail "SIGTERM: $coded answers stored"

# --- one run per rater and sample: a second refuses in one line naming the first ---
: >log
echo '{"*": "hang"}' >plan.json
"$ISSUEMINE" code --sample study --rater solo --with "$RATER" -j 1 -q >solo.out 2>solo.err &
pid=$!
wait_for 1 start
assert_eq "$(q "SELECT pid || ' ' || host FROM rater_leases")" "$pid $(hostname)"
run 1 code --sample study --rater solo --with "$RATER" -q
one_line "$ERR"
assert_contains "$ERR" "issuemine: code --with: another run as rater 'solo' on sample 'study' is running (pid $pid on $(hostname), since "
assert_eq "$OUT" "" "the refused run's output"
sleep 0.3
assert_eq "$(grep -c '^start ' log)" 1 "commands started: the first run's hanging one only"
kill -TERM "$pid"
wait "$pid" || true
# The first run gave its lease back.
assert_eq "$(q "SELECT count(*) FROM rater_leases")" 0
# A lease of another machine counts while its heartbeat is fresh, and is taken once it is stale.
echo '{"*": "sleep:0.1"}' >plan.json
write_db() {
	python3 -c "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit()" "$ISSUEMINE_DB" "$1"
}
write_db "INSERT INTO rater_leases SELECT id, 'solo', 4242, 'elsewhere.example', 1,
	strftime('%s', 'now'), strftime('%s', 'now') FROM sets WHERE name = 'study'"
run 1 code --sample study --rater solo --with "$RATER" --max-issues 1 -q
assert_contains "$ERR" "(pid 4242 on elsewhere.example, since "
write_db "UPDATE rater_leases SET heartbeat_at = heartbeat_at - 3600"
run 0 code --sample study --rater solo --with "$RATER" --max-issues 1 -q
assert_eq "$(q "SELECT count(*) FROM rater_leases")" 0

# --- kill -9 of issuemine mid-run, then a rerun resumes ---
: >log
echo '{"*": "sleep:0.3"}' >plan.json
"$ISSUEMINE" code --sample study --rater nine --with "$RATER" -j 2 -q >/dev/null 2>&1 &
pid=$!
wait_for 6 end
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
sleep 0.5
assert_eq "$(leftovers)" "" "processes left after kill -9"
# Its lease stays behind, held by a pid that is gone: the rerun takes it over.
assert_eq "$(q "SELECT pid FROM rater_leases")" "$pid"
# Every issue is either wholly stored (three codes, a note, a coded answer) or not at all.
stored=$(q "SELECT count(*) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'nine'")
[ "$stored" -ge 1 ] && [ "$stored" -lt 24 ] || fail "kill -9: $stored answers stored"
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'nine'")" $((stored * 3))
assert_eq "$(q "SELECT count(*) FROM notes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'nine'")" "$stored"
assert_eq "$(q "SELECT count(*) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'nine' AND a.status = 'coded' AND (SELECT count(*) FROM codes x WHERE x.set_id = a.set_id AND x.issue_id = a.issue_id AND x.rater_id = a.rater_id) = 3")" "$stored"
assert_eq "$(q "SELECT count(*) FROM rater_runs r JOIN raters x ON x.id = r.rater_id WHERE x.name = 'nine' AND finished_at IS NULL")" 1
# The rerun asks only about the issues not stored, each once.
: >log
run 0 code --sample study --rater nine --with "$RATER" -j 2 -q
assert_contains "$OUT" "$((24 - stored)) issues to code ($stored done before): $((24 - stored)) coded"
assert_eq "$(grep -c '^start ' log)" $((24 - stored))
assert_eq "$(q "SELECT count(*) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'nine'")" 24
assert_eq "$(q "SELECT count(DISTINCT issue_id) FROM rater_answers a JOIN raters r ON r.id = a.rater_id WHERE r.name = 'nine'")" 24
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'nine'")" 72
assert_eq "$(q "SELECT count(*) FROM rater_leases")" 0

# --- the supervisor killed from outside: the run stops, its commands die, a rerun resumes ---
: >log
echo '{"*": "hang"}' >plan.json
"$ISSUEMINE" code --sample study --rater orphan --with "$RATER" -j 2 -q >sup.out 2>sup.err &
pid=$!
wait_for 2 start
supervisor=$(pgrep -P "$pid")
[ -n "$supervisor" ] || fail "no supervisor under issuemine"
kill -9 "$supervisor"
rc=0
wait "$pid" || rc=$?
assert_eq "$rc" 1 "exit status after the supervisor was killed"
assert_contains "$(cat sup.err)" "the process that started the commands died"
sleep 0.3
assert_eq "$(leftovers)" "" "commands left after their supervisor was killed"
assert_eq "$(q "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = 'orphan'")" 0
