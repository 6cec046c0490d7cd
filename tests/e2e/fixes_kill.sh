# fixes_kill.sh - kill -9 at random moments of "issuemine fixes fetch", then the
# same command again: the fix tables end as the clean run's, integrity_check
# passes after every kill, a killed run leaves only whole changes and whole
# issues, and no stored change is downloaded again.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fixcheck() {
	python3 "$FAKE_DIR/fixcheck.py" "$@"
}
corpus=(--seed 13 --issues 300 --profile lean --repo pytorch/pytorch --latency 0.002)
seed=${FIXES_KILL_SEED:-$RANDOM}
echo "fixes_kill: random seed $seed (FIXES_KILL_SEED=$seed repeats this run)"
RANDOM=$seed

fake_start "${corpus[@]}"
run 0 --db base.db fetch --api rest -q --api-url "$FAKE_URL" pytorch/pytorch
run 0 --db base.db filter --save study 'is:issue is:closed'
cp base.db clean.db
cp base.db "$ISSUEMINE_DB"
before=$(wc -l <"$FAKE_LOG")
run 0 --db clean.db fixes fetch -q --api-url "$FAKE_URL" --set study
clean=$(fixcheck canon clean.db)
clean_requests=$(($(wc -l <"$FAKE_LOG") - before))

# Each kill lands after a random number of the run's requests, read from the
# server's log (not after a random time, which a loaded machine stretches):
# the first within the first half of a clean run, each next one within half
# of what the one before could have left, so every kill interrupts a run with
# work still to do.
fake_start "${corpus[@]}"
kills=0
at=""
span=$((clean_requests / 2))
for k in 1 2 3 4; do
	want=$((1 + RANDOM % span))
	at="$at $want"
	start=$(wc -l <"$FAKE_LOG")
	"$ISSUEMINE" fixes fetch -q --api-url "$FAKE_URL" --set study >/dev/null 2>kill.err &
	pid=$!
	while kill -0 $pid 2>/dev/null && [ $(($(wc -l <"$FAKE_LOG") - start)) -lt "$want" ]; do
		sleep 0.005
	done
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	span=$((span / 2 > 1 ? span / 2 : 1))
	assert_eq "$(q 'PRAGMA integrity_check')" ok "integrity_check after kill $k (after$at requests)"
	# Nothing half-written: whole changes, whole issues, all of them the clean run's.
	assert_eq "$(q "SELECT count(*) FROM fix_changes c WHERE files_stored <> (SELECT count(*) FROM fix_files f WHERE f.change_id = c.id)")" 0 "changes without all their files after kill $k"
	fixcheck partial "$ISSUEMINE_DB" clean.db >/dev/null || fail "after kill $k (after$at requests)"
done
[ "$kills" -ge 3 ] || fail "only $kills of the runs were still going when killed (after$at requests)"

run 0 fixes fetch -q --api-url "$FAKE_URL" --set study --format json
assert_eq "$(fixcheck canon "$ISSUEMINE_DB")" "$clean" "fix tables after $kills kills (after$at requests) vs a clean run"
fixcheck db "$FAKE_URL" "$ISSUEMINE_DB" study >/dev/null
# Each change downloaded once, but the one in flight at each kill.
twice=$(python3 - "$FAKE_LOG" <<'PY'
import collections, json, sys
seen = collections.Counter()
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("kind") in ("commit", "pull") and e["status"] == 200 and e.get("page", 1) == 1:
        seen[(e["kind"], e["repo"].lower(), e.get("sha") or e.get("number"))] += 1
print(sum(1 for n in seen.values() if n > 1))
PY
)
[ "$twice" -le "$kills" ] || fail "$twice changes downloaded more than once after $kills kills (after$at requests)"
