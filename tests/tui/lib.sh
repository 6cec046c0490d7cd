# lib.sh - helpers of the UI tests (sourced by tests/tui/*.sh), on top of the
# end-to-end helpers (tests/e2e/lib.sh: a temporary directory and database,
# run, q, assert_*).
#
# Two ways to drive the UI, as tig's test suite does:
#  - headless: a keystroke script in $ISSUEMINE_TUI_SCRIPT; the final screen
#    is printed as text and compared with a checked-in screen
#    (tests/tui/screens/NAME.screen; ISSUEMINE_UPDATE_SCREENS=1 rewrites them);
#  - tmux: the real binary in a real terminal (a private tmux server per
#    test, killed on exit), keys sent with send-keys and the screen read back
#    with capture-pane, polling for the text expected rather than sleeping.
. "$(dirname "$0")/../e2e/lib.sh"

TUI_DIR="$ISSUEMINE_SRC/tests/tui"
SCREENS="$TUI_DIR/screens"
export LC_ALL=C.UTF-8
export NO_COLOR=1
unset ISSUEMINE_TUI_SCRIPT ISSUEMINE_TUI_SIZE ISSUEMINE_TUI_TRACE BROWSER

# setup_sample: imports the test issues and makes the sample "study" of all six,
# in this order, with no codes (the rater "setup" only adds issues to it).
SAMPLE_ISSUES="pytorch/pytorch#201 pytorch/pytorch#203 onnx/tensorflow-onnx#31
onnx/tensorflow-onnx#32 onnx/tensorflow-onnx#33 pytorch/pytorch#204"
setup_sample() {
	run 0 import --quiet "$TUI_DIR/data/issues.json"
	local i
	for i in $SAMPLE_ISSUES; do
		run 0 code --sample study --rater setup --add-to-sample "$i" --note ""
	done
}

# codes_of RATER: "issue dimension category[/sub]" lines of RATER's codes, sorted.
codes_of() {
	q "SELECT r.full_name || '#' || i.number || ' ' || d.key || ' ' || c.key ||
	   coalesce('/' || s.key, '') FROM codes x
	   JOIN raters w ON w.id = x.rater_id JOIN issues i ON i.id = x.issue_id
	   JOIN repositories r ON r.id = i.repo_id JOIN dimensions d ON d.id = x.dimension_id
	   JOIN categories c ON c.id = x.category_id LEFT JOIN categories s ON s.id = x.subcategory_id
	   WHERE w.name = '$1' ORDER BY 1"
}

# screen KEYS ARGS...: runs "issuemine ARGS" with the keystroke script KEYS
# (a string; printf escapes allowed) and leaves the final screen in $SCREEN.
screen() {
	local keys=$1
	shift
	printf "$keys" >"$TEST_DIR/keys"
	ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 0 "$@"
	SCREEN=$OUT
}

# expect_screen NAME: $SCREEN must equal screens/NAME.screen.
expect_screen() {
	local want="$SCREENS/$1.screen"
	if [ "${ISSUEMINE_UPDATE_SCREENS:-}" = 1 ]; then
		printf '%s\n' "$SCREEN" >"$want"
		return
	fi
	[ -f "$want" ] || fail "no expected screen $want (ISSUEMINE_UPDATE_SCREENS=1 writes it)"
	if ! printf '%s\n' "$SCREEN" | diff -u "$want" - >"$TEST_DIR/.diff"; then
		cat "$TEST_DIR/.diff" >&2
		fail "screen differs from $1.screen"
	fi
}

# check_width TEXT COLS: no line of TEXT takes more than COLS terminal cells
# (wide characters count two), and every line of it is valid UTF-8.
check_width() {
	printf '%s\n' "$1" | python3 -c '
import sys, unicodedata
cols = int(sys.argv[1])
bad = 0
for n, line in enumerate(sys.stdin.buffer.read().decode("utf-8").split("\n"), 1):
    w = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
            for c in line)
    if w > cols:
        print("line %d is %d cells: %s" % (n, w, line), file=sys.stderr)
        bad = 1
sys.exit(bad)
' "$2" || fail "a line is wider than $2 cells, or not UTF-8"
}

# --- tmux ---

TMUX_SOCKET="issuemine-test-$$-$(basename "$0" .sh)"
tmux_cmd() {
	tmux -u -L "$TMUX_SOCKET" -f /dev/null "$@"
}
# The server dies with the test, however it ends.
trap 'tmux_cmd kill-server >/dev/null 2>&1 || true; cd /; rm -rf "$TEST_DIR"' EXIT

# tmux_start NAME COLS ROWS ARGS...: runs "issuemine ARGS" in a new detached
# session NAME of COLSxROWS, with TERM set explicitly. Its pid goes to
# $TEST_DIR/NAME.pid; when it ends the pane shows "[exited STATUS]".
# NO_COLOR is 1 unless TUI_NO_COLOR says otherwise ("" turns colours on);
# TERM is tmux-256color unless TUI_TERM says otherwise; BROWSER is
# TUI_BROWSER (unset when that is).
tmux_start() {
	local name=$1 cols=$2 rows=$3
	shift 3
	local script="$TEST_DIR/$name.run"
	{
		printf 'bash -c %q' 'echo $$ >"$0.pid"; exec "$@"'
		printf ' %q' "$TEST_DIR/$name" env "TERM=${TUI_TERM-tmux-256color}" LC_ALL=C.UTF-8 "NO_COLOR=${TUI_NO_COLOR-1}" \
			"ISSUEMINE_DB=$ISSUEMINE_DB" "ASAN_OPTIONS=${ASAN_OPTIONS:-}" \
			"UBSAN_OPTIONS=${UBSAN_OPTIONS:-}" ${TUI_BROWSER:+"BROWSER=$TUI_BROWSER"} "$ISSUEMINE" "$@"
		printf '\nstatus=$?\nstty sane 2>/dev/null\nprintf "\\n[exited %%s]\\n" "$status"\nexec sleep 600\n'
	} >"$script"
	rm -f "$TEST_DIR/$name.pid"
	tmux_cmd new-session -d -s "$name" -x "$cols" -y "$rows" "bash $(printf %q "$script")"
}

# tmux_screen NAME: the pane's text now.
tmux_screen() {
	tmux_cmd capture-pane -p -t "$1"
}

# tmux_wait NAME TEXT [SECONDS]: waits until the screen shows TEXT; fails after SECONDS (10).
tmux_wait() {
	local name=$1 text=$2 limit=${3:-10} i=0
	while [ "$i" -lt $((limit * 20)) ]; do
		case "$(tmux_screen "$name")" in
		*"$text"*) return 0 ;;
		esac
		sleep 0.05
		i=$((i + 1))
	done
	echo "--- screen of $name:" >&2
	tmux_screen "$name" >&2
	fail "tmux session $name never showed '$text'"
}

# tmux_wait_rows NAME ROWS: waits until the screen's last of ROWS rows is drawn.
# A redraw after a resize goes top to bottom, so a capture taken mid-way has
# blank bottom rows, which command substitution drops.
tmux_wait_rows() {
	local name=$1 rows=$2 i=0
	while [ "$i" -lt 200 ]; do
		[ "$(printf '%s\n' "$(tmux_screen "$name")" | wc -l)" -eq "$rows" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "tmux session $name never drew all $rows rows"
}

# tmux_keys NAME KEYS...: sends keys (tmux key names: Enter, Escape, Tab, Down...).
tmux_keys() {
	local name=$1
	shift
	tmux_cmd send-keys -t "$name" "$@"
}

# tmux_pid NAME: the pid of issuemine in session NAME.
tmux_pid() {
	local i=0
	while [ ! -s "$TEST_DIR/$1.pid" ] && [ "$i" -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	cat "$TEST_DIR/$1.pid"
}
