# readonly.sh - a database that can be read but not written: every command
# that only reads works, and leaves nothing behind (no -wal, no -shm, the file
# unchanged); every command that writes fails in one line that says the
# database is read-only and where.
#
# Root ignores file modes, so under root the unwritable cases run as the
# unprivileged user "nobody" (setpriv); as another user they run as that
# user. Three ways a database is read-only:
#   1. a 0444 file in a directory the user may write,
#   2. a file (0644, or even 0666) in a directory the user may not write,
#   3. a read-only mount (a private mount namespace, when unshare may make one),
# and, under root, 4. files marked immutable (chattr +i), which root cannot
# write either.
. "$(dirname "$0")/lib.sh"
RAN=0

# The study's database: a filter set, a sample coded by two raters.
run 0 import -q "$DATA/filter-corpus.json"
run 0 filter --query onnx-converters --save relevant
run 0 sample --from relevant --n 3 --seed 1 --save study
for issue in pytorch/pytorch#3 pytorch/pytorch#4 pytorch/pytorch#15; do
	run 0 code --sample study --rater alice "$issue" symptom=crash location=export cause=incompatibility
	run 0 code --sample study --rater bob "$issue" symptom=crash location=export cause=incompatibility
done
run 0 releases list
# A clean copy: every writer closed, so no -wal or -shm beside it.
cp "$ISSUEMINE_DB" "$TEST_DIR/study.db"
printf 'issue,relevant\npytorch/pytorch#3,1\npytorch/pytorch#12,0\n' >"$TEST_DIR/truth.csv"
chmod 0755 "$TEST_DIR"
chmod 0644 "$TEST_DIR/truth.csv"

# Who runs the checks: an unprivileged user, so that file modes count. Under
# root that is nobody, when setpriv can drop to it and nobody can run the
# binary; otherwise only the cases that stop root too (3 and 4) run.
AS=()
MODES=1
if [ "$(id -u)" = 0 ]; then
	AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	if ! command -v setpriv >/dev/null || ! "${AS[@]}" test -x "$ISSUEMINE"; then
		echo "readonly.sh: nobody cannot run $ISSUEMINE here; the file-mode cases are skipped" >&2
		MODES=0
	fi
fi

# as_user CODE DB ARGS...: runs issuemine as that user on DB, expects CODE.
as_user() {
	local want=$1 db=$2 got=0
	shift 2
	"${AS[@]}" env ISSUEMINE_DB="$db" "${WRAPPER[@]}" "$ISSUEMINE" "$@" >"$TEST_DIR/.out" 2>"$TEST_DIR/.err" || got=$?
	OUT=$(cat "$TEST_DIR/.out")
	ERR=$(cat "$TEST_DIR/.err")
	[ "$got" = "$want" ] || fail "as $(id -un 2>/dev/null) ${AS[*]}: issuemine $* on $db exited $got, expected $want: $ERR"
}

# reads DB [RUNNER...]: every command that only reads works on DB.
reads() {
	local db=$1
	as_user 0 "$db" sql 'SELECT count(*) FROM issues'
	assert_eq "$(printf '%s\n' "$OUT" | tail -1 | tr -d '\r')" 23 "issues read from $db"
	as_user 1 "$db" sql 'PRAGMA user_version = 3'
	assert_eq "$ERR" "issuemine: sql: PRAGMA user_version = 3: only statements that read are allowed (this PRAGMA writes)"
	as_user 0 "$db" stats
	assert_contains "$OUT" "pytorch/pytorch"
	as_user 0 "$db" filter is:closed --count
	assert_eq "$OUT" 21 "filter --count on $db"
	as_user 0 "$db" filter 'repo:onnx/tensorflow-onnx lstm'
	assert_contains "$OUT" "onnx/tensorflow-onnx#21"
	as_user 0 "$db" filter --query relevant --format json
	as_user 0 "$db" agree --sample study --raters alice,bob
	assert_contains "$OUT" "kappa"
	as_user 0 "$db" report --sample study --rater alice --table symptoms
	assert_contains "$OUT" "Crash"
	as_user 0 "$db" codes export --sample study
	assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 19 "codes exported from $db"
	as_user 0 "$db" reconcile --sample study --raters alice,bob --list
	as_user 0 "$db" sets show study
	as_user 0 "$db" sample --from relevant --n 2 --seed 3
	as_user 0 "$db" taxonomy show
	as_user 0 "$db" taxonomy list
	as_user 0 "$db" releases list
	as_user 0 "$db" validate --query onnx-converters --truth "$TEST_DIR/truth.csv"
}

# writes DB WHY: every command that writes fails in one line naming DB and saying why.
writes() {
	local db=$1 why=$2
	for cmd in "import $DATA/dump-small.json" "filter is:open --save more" \
		"code --sample study --rater carol pytorch/pytorch#3 symptom=hang" \
		"sets drop relevant" "releases import mine $ISSUEMINE_SRC/queries/onnx-opsets.csv" \
		"taxonomy load $ISSUEMINE_SRC/taxonomy/onnx-converters.json" \
		"sample --from relevant --n 2 --seed 3 --save other"; do
		# shellcheck disable=SC2086
		as_user 1 "$db" $cmd
		one_line "$ERR"
		assert_contains "$ERR" "issuemine: $db: the database is read-only" "$cmd on $db"
		assert_contains "$ERR" "$why" "$cmd on $db"
		assert_contains "$ERR" "commands that only read it work"
	done
}

# untouched DIR FILE SUM: nothing was created next to the database, which is as it was.
untouched() {
	assert_eq "$(ls -A "$1" | grep -c 'study.db-')" 0 "files next to $2: $(ls -A "$1")"
	assert_eq "$(cksum <"$2")" "$3" "$2 changed"
}
SUM=$(cksum <"$TEST_DIR/study.db")

if [ "$MODES" = 1 ]; then
# 1. A 0444 file in a directory the user may write.
mkdir "$TEST_DIR/one"
cp "$TEST_DIR/study.db" "$TEST_DIR/one/study.db"
chmod 0777 "$TEST_DIR/one"
chmod 0444 "$TEST_DIR/one/study.db"
reads "$TEST_DIR/one/study.db"
# The other commands that only read (once: how they open the database is what counts).
for cmd in "taxonomy history onnx-converters" "taxonomy diff onnx-converters 1 1" queries \
	"config --list" "fixes list --set study"; do
	# shellcheck disable=SC2086
	as_user 0 "$TEST_DIR/one/study.db" $cmd
done
writes "$TEST_DIR/one/study.db" "Permission denied"
untouched "$TEST_DIR/one" "$TEST_DIR/one/study.db" "$SUM"

# 2. A file in a directory the user may not write: 0644, then 0666 (only the directory stops it).
mkdir "$TEST_DIR/two"
cp "$TEST_DIR/study.db" "$TEST_DIR/two/study.db"
chmod 0644 "$TEST_DIR/two/study.db"
chmod 0555 "$TEST_DIR/two"
reads "$TEST_DIR/two/study.db"
writes "$TEST_DIR/two/study.db" "Permission denied"
chmod 0755 "$TEST_DIR/two" && chmod 0666 "$TEST_DIR/two/study.db" && chmod 0555 "$TEST_DIR/two"
reads "$TEST_DIR/two/study.db"
writes "$TEST_DIR/two/study.db" "its directory $TEST_DIR/two is not writable"
untouched "$TEST_DIR/two" "$TEST_DIR/two/study.db" "$SUM"
chmod 0755 "$TEST_DIR/two"

# A database another process is writing (its -wal and -shm exist) is still read,
# uncommitted-to-the-file changes included, from a directory the reader may not write.
mkdir "$TEST_DIR/live"
cp "$TEST_DIR/study.db" "$TEST_DIR/live/study.db"
chmod 0644 "$TEST_DIR/live/study.db"
python3 - "$TEST_DIR/live/study.db" "$TEST_DIR/live/ready" <<'EOF' &
import sqlite3, sys, time, os
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint = 0")
db.execute("INSERT INTO repositories (owner, name, full_name) VALUES ('x', 'y', 'x/y')")
for f in ("-wal", "-shm"):
    os.chmod(sys.argv[1] + f, 0o644)
open(sys.argv[2], "w").close()
time.sleep(30)
EOF
writer=$!
for _ in $(seq 100); do [ -e "$TEST_DIR/live/ready" ] && break; sleep 0.1; done
rm -f "$TEST_DIR/live/ready"
chmod 0555 "$TEST_DIR/live"
as_user 0 "$TEST_DIR/live/study.db" sql --no-header "SELECT count(*) FROM repositories WHERE full_name = 'x/y'"
assert_eq "$(printf '%s' "$OUT" | tr -d '\r')" 1 "the live writer's change"
kill "$writer"
wait "$writer" 2>/dev/null || true
chmod 0755 "$TEST_DIR/live"
# A log a writer left behind (killed before it checkpointed) without its -shm
# file cannot be read from such a directory: one line says why, nothing is
# made. An empty log holds nothing, so such a database reads as if it had none.
mkdir "$TEST_DIR/log"
cp "$TEST_DIR/study.db" "$TEST_DIR/log/study.db"
python3 - "$TEST_DIR/log/study.db" <<'EOF'
import sqlite3, sys, os
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA wal_autocheckpoint = 0")
db.execute("INSERT INTO repositories (owner, name, full_name) VALUES ('x', 'y', 'x/y')")
os.remove(sys.argv[1] + "-shm")
os._exit(0)  # no close, no checkpoint: the change is only in the -wal
EOF
chmod 0644 "$TEST_DIR/log/study.db" "$TEST_DIR/log/study.db-wal"
chmod 0555 "$TEST_DIR/log"
as_user 1 "$TEST_DIR/log/study.db" sql 'SELECT count(*) FROM issues'
one_line "$ERR"
assert_eq "$ERR" "issuemine: $TEST_DIR/log/study.db: cannot be read here: its write-ahead log $TEST_DIR/log/study.db-wal holds changes, and SQLite needs a $TEST_DIR/log/study.db-shm file to read it, which it cannot create in $TEST_DIR/log; open it once as a user who may write there, or copy the database with its -wal file to a writable directory"
assert_eq "$(ls -A "$TEST_DIR/log" | tr '\n' ' ')" "study.db study.db-wal "
chmod 0755 "$TEST_DIR/log"
: >"$TEST_DIR/log/study.db-wal"
chmod 0555 "$TEST_DIR/log"
sum=$(cksum <"$TEST_DIR/log/study.db")
as_user 0 "$TEST_DIR/log/study.db" sql --no-header 'SELECT count(*) FROM issues'
assert_eq "$(printf '%s' "$OUT" | tr -d '\r')" 23 "issues read with an empty log"
as_user 0 "$TEST_DIR/log/study.db" filter is:closed --count
assert_eq "$OUT" 21 "filter --count with an empty log"
assert_eq "$(ls -A "$TEST_DIR/log" | tr '\n' ' ')" "study.db study.db-wal "
assert_eq "$(cksum <"$TEST_DIR/log/study.db")" "$sum" "the database with an empty log"
chmod 0755 "$TEST_DIR/log"
# A database that does not exist yet cannot be made in such a directory either.
mkdir "$TEST_DIR/five"
chmod 0555 "$TEST_DIR/five"
as_user 1 "$TEST_DIR/five/new.db" import "$DATA/dump-small.json"
one_line "$ERR"
assert_contains "$ERR" "issuemine: $TEST_DIR/five/new.db: cannot create the database: directory $TEST_DIR/five: Permission denied"
RAN=1
fi

# 3. A read-only mount, in a mount namespace of its own (needs the privilege to make one).
mkdir "$TEST_DIR/three"
cp "$TEST_DIR/study.db" "$TEST_DIR/three/study.db"
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	export -f reads writes as_user untouched fail assert_eq assert_contains one_line
	export ISSUEMINE ISSUEMINE_SRC DATA TEST_DIR SUM
	unshare -m bash -euo pipefail -c '
		mount --bind "$TEST_DIR/three" "$TEST_DIR/three"
		mount -o remount,bind,ro "$TEST_DIR/three"
		AS=() WRAPPER=()
		reads "$TEST_DIR/three/study.db"
		writes "$TEST_DIR/three/study.db" "Read-only file system"
		untouched "$TEST_DIR/three" "$TEST_DIR/three/study.db" "$SUM"'
	RAN=1
else
	echo "readonly.sh: no mount namespace here; the read-only mount case is skipped" >&2
fi

# 4. Immutable files stop even root (where the file system has the attribute).
if [ "$(id -u)" = 0 ] && command -v chattr >/dev/null && mkdir "$TEST_DIR/four" &&
	cp "$TEST_DIR/study.db" "$TEST_DIR/four/study.db" && chattr +i "$TEST_DIR/four/study.db" 2>/dev/null; then
	trap 'chattr -i "$TEST_DIR/four/study.db" "$TEST_DIR/four" 2>/dev/null; cd /; rm -rf "$TEST_DIR"' EXIT
	AS=()
	reads "$TEST_DIR/four/study.db"
	writes "$TEST_DIR/four/study.db" "Operation not permitted"
	chattr -i "$TEST_DIR/four/study.db"
	chattr +i "$TEST_DIR/four"
	reads "$TEST_DIR/four/study.db"
	writes "$TEST_DIR/four/study.db" "its directory $TEST_DIR/four is not writable"
	chattr -i "$TEST_DIR/four"
	untouched "$TEST_DIR/four" "$TEST_DIR/four/study.db" "$SUM"
	RAN=1
fi

if [ "$RAN" = 0 ]; then
	echo "readonly.sh: no way to make a database read-only here (no unprivileged user, mount namespace or chattr)" >&2
	exit 77
fi
