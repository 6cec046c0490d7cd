# tmux-coding.sh - the coding workflow's keys in a real terminal (tmux), each
# checked on the screen and in the database: x (exclude, with a reason and
# free text), the list's F (filter) and o (order), u (undo, back through the
# changes of the session, each undo logged), E (the note in $EDITOR, here a
# fake editor script), and codes changed by another process showing up
# without a key.
. "$(dirname "$0")/lib.sh"

setup_sample
# A fake $EDITOR: records what it was given, then writes a note of two lines
# above the scissors line (what it finds there is the old note and the help).
cat >"$TEST_DIR/editor" <<EOF2
#!/bin/sh
cp "\$1" "$TEST_DIR/editor.seen"
{ printf 'Converter bug, not the framework:\nsee the linked PR.\n'; cat "\$1"; } >"\$1.new"
mv "\$1.new" "\$1"
EOF2
chmod +x "$TEST_DIR/editor"
export EDITOR="$TEST_DIR/editor"
unset VISUAL
exclusion_of() {
	q "SELECT i.number || ' ' || e.key || coalesce(' ' || x.detail, '') FROM exclusions x
	   JOIN raters r ON r.id = x.rater_id JOIN issues i ON i.id = x.issue_id
	   JOIN exclusion_reasons e ON e.id = x.reason_id WHERE r.name = '$1' ORDER BY 1"
}

tmux_start ui 120 32 label --sample study --rater alice
tmux_wait ui "Codes of alice"

# x: the reasons of the taxonomy; a letter excludes at once, then a line of why.
tmux_keys ui x
tmux_wait ui "Exclude the issue: pick a reason"
assert_contains "$(tmux_screen ui)" " b  Not the converter"
tmux_keys ui a
tmux_wait ui "Why excluded (optional, Enter keeps it):"
assert_eq "$(exclusion_of alice)" "201 not-a-failure"
tmux_keys ui -l "a usage question"
tmux_keys ui Enter
tmux_wait ui "saved: excluded: Not a failure (with a note)"
assert_contains "$(tmux_screen ui)" " x Excluded  Not a failure: a usage question"
assert_contains "$(tmux_screen ui)" "You excluded this issue: Not a failure"
assert_eq "$(exclusion_of alice)" "201 not-a-failure a usage question"
assert_contains "$(tmux_screen ui)" "0/5 coded, 1 excluded"

# ] skips the excluded issue; code #203 in full, #31 in part.
tmux_keys ui ]
tmux_wait ui "pytorch/pytorch#203  Shape inference"
tmux_keys ui 1 b 2 c 3 d
tmux_wait ui "saved: Cause = Shape Problem - issue coded"
tmux_keys ui l
tmux_wait ui "onnx/tensorflow-onnx#31  Conv"
tmux_keys ui 1 a
tmux_wait ui "saved: Symptom = Crash"

# E: the note in $EDITOR; it gets the old note and a help below a scissors line.
tmux_keys ui E
tmux_wait ui "saved: note"
assert_contains "$(tmux_screen ui)" " e Note      Converter bug, not the framework: (+1 more line)"
assert_contains "$(tmux_screen ui)" "Your note:"
assert_contains "$(tmux_screen ui)" "    see the linked PR."
assert_eq "$(q "SELECT replace(replace(note, char(10), '|'), ',', ';') FROM notes n JOIN raters r ON r.id = n.rater_id WHERE r.name = 'alice'")" \
	"Converter bug; not the framework:|see the linked PR."
assert_contains "$(cat "$TEST_DIR/editor.seen")" "# ------------------------ >8 ------------------------"
assert_contains "$(cat "$TEST_DIR/editor.seen")" "The note of alice on onnx/tensorflow-onnx#31 (sample study)"

# The list: the codes per dimension, the status; F filters, o orders.
tmux_keys ui Tab
tmux_wait ui "status    symptom"
SCREEN=$(tmux_screen ui)
assert_contains "$SCREEN" "  excluded  not-a-failure"
assert_contains "$SCREEN" "  done      wrong-model  optimization  shape-problem  pytorch#203"
assert_contains "$SCREEN" "> partial   crash        -             -              tensorflow-onnx#31"
tmux_keys ui F
tmux_wait ui "Filter the list"
tmux_keys ui x
tmux_wait ui "1/6 shown"
SCREEN=$(tmux_screen ui)
assert_contains "$SCREEN" "pytorch#201"
assert_not_contains "$SCREEN" "pytorch#203"
# Filters add up: excluded and Shape Problem is nothing; 0 clears them.
tmux_keys ui F 3
tmux_wait ui "Filter the list by Cause code"
tmux_keys ui d
tmux_wait ui "0/6 shown"
assert_contains "$(tmux_screen ui)" "(no issue passes the filter"
tmux_keys ui F 0
tmux_wait ui "every issue, in sample order"
tmux_keys ui F 3 d
tmux_wait ui "1/6 shown"
assert_contains "$(tmux_screen ui)" "pytorch#203"
tmux_keys ui F 0 F s a
tmux_wait ui "4/6 shown"
SCREEN=$(tmux_screen ui)
assert_contains "$SCREEN" "tensorflow-onnx#31"
assert_not_contains "$SCREEN" "pytorch#203 "
tmux_keys ui F 0
tmux_wait ui "every issue, in sample order"
tmux_keys ui o c
tmux_wait ui "6/6 shown, by status"
# By status: none first, then partial, done, excluded; ties in sample order.
assert_eq "$(tmux_screen ui | sed -n '3,8p' | cut -c3-10 | tr -d ' ' | tr '\n' '|')" "none|none|none|partial|done|excluded|"
tmux_keys ui o c
tmux_wait ui "by status (reversed)"
assert_eq "$(tmux_screen ui | sed -n '3p' | cut -c3-10 | tr -d ' ')" "excluded"
# Filtering and ordering change nothing in the database.
assert_eq "$(q "SELECT count(*) FROM code_log WHERE rater_id = (SELECT id FROM raters WHERE name = 'alice')")" 7

# u: back through the session's changes, last first, each undo logged.
tmux_keys ui u
tmux_wait ui "undone: note"
assert_eq "$(q "SELECT count(*) FROM notes")" 0
tmux_keys ui u
tmux_wait ui "undone: Symptom: Crash"
assert_eq "$(codes_of alice | grep -c '#31' || true)" 0
tmux_keys ui u u u
tmux_wait ui "undone: Symptom: Wrong Model"
assert_eq "$(codes_of alice)" ""
tmux_keys ui u
tmux_wait ui "undone: exclusion: excluded: Not a failure with a note"
assert_eq "$(exclusion_of alice)" "201 not-a-failure"
tmux_keys ui u
tmux_wait ui "undone: exclusion: excluded: Not a failure"
assert_eq "$(exclusion_of alice)" ""
tmux_keys ui u
tmux_wait ui "nothing to undo"
assert_eq "$(q "SELECT count(*) FROM code_log WHERE origin = 'undo'")" 7
assert_eq "$(q "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM code_log WHERE origin = 'undo' ORDER BY id)")" \
	"note code code code code exclusion exclusion"

# Live codes: another process codes for alice; the UI shows it without a key.
tmux_keys ui Tab
tmux_wait ui "Codes of alice"
run 0 code --sample study --rater alice pytorch/pytorch#201 symptom=hang
tmux_wait ui " 1 Symptom   Hang" 5
assert_contains "$(tmux_screen ui)" "codes of this issue changed elsewhere"
# An undo never overwrites a change made elsewhere.
tmux_keys ui 1 a
tmux_wait ui "saved: Symptom = Crash"
run 0 code --sample study --rater alice pytorch/pytorch#201 symptom=wrong-model
tmux_wait ui " 1 Symptom   Wrong Model" 5
tmux_keys ui u
tmux_wait ui "not undone: Symptom: Crash"
assert_contains "$(tmux_screen ui)" "changed elsewhere since"
assert_eq "$(codes_of alice)" "pytorch/pytorch#201 symptom wrong-model"
tmux_keys ui q
tmux_wait ui "[exited 0]"
