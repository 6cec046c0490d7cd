# label.sh - "issuemine label" driven by keystroke scripts, headless: every
# screen of a rater's session compared with the expected screens in
# tests/tui/screens/, and the database checked after each change.
. "$(dirname "$0")/lib.sh"

setup_sample
L="label --sample study --rater alice"

# The first screen: the first issue (nothing is coded), the empty panel.
screen '' $L
expect_screen label-first
assert_eq "$(q "SELECT count(*) FROM codes")" 0

# 3 opens Cause: every category with its key, the highlighted one's definition.
screen '3' $L
expect_screen label-cause-picker
# j moves the highlight down: the definition follows it. Nothing is saved.
screen '3jj' $L
expect_screen label-cause-definition
assert_eq "$(q "SELECT count(*) FROM codes")" 0

# b picks Incompatibility: saved at once (sub-categories are optional), and
# its sub-categories are offered.
screen '3b' $L
expect_screen label-subcategory
assert_eq "$(codes_of alice)" "pytorch/pytorch#201 cause incompatibility"

# Three keys per code: b again is External; 1a and 2b code the others.
screen '3bb1a2b' $L
expect_screen label-coded
assert_eq "$(codes_of alice)" "pytorch/pytorch#201 cause incompatibility/external
pytorch/pytorch#201 location node-conversion
pytorch/pytorch#201 symptom crash"
assert_eq "$(q "SELECT count(*) FROM code_log WHERE origin = 'label'")" 4

# Reopening resumes at the first issue not fully coded (#203).
screen '1a' $L
expect_screen label-resume
# The list: done, partial and none, with progress.
screen '<Tab>' $L
expect_screen label-list

# A note, with UTF-8; Escape cancels an edit without saving.
screen 'eopset 13 ünïcödé 中文<Enter>' $L
assert_eq "$(q "SELECT note FROM notes")" "opset 13 ünïcödé 中文"
screen 'e<C-u>gone<Esc>' $L
assert_eq "$(q "SELECT note FROM notes")" "opset 13 ünïcödé 中文"
expect_screen label-note

# 0 in the picker clears a code; the note can be removed with an empty text.
screen '10e<C-u><Enter>' $L
assert_eq "$(codes_of alice | grep -c '#203' || true)" 0
assert_eq "$(q "SELECT count(*) FROM notes")" 0

# ]/[ walk the issues not done; h/l every issue.
screen ']]' $L
assert_contains "$SCREEN" "onnx/tensorflow-onnx#32"
screen 'llll' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "pytorch/pytorch#204"
screen 'llll[' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "onnx/tensorflow-onnx#33"

# Search: in the list, then in the issue's text; n finds the next match.
screen '<Tab>/lstm<Enter><Enter>/attempt 7<Enter>' $L
expect_screen label-search
screen '<Tab>/lstm<Enter><Enter>/minutes<Enter>nnn' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "20 minutes"
screen '/no such words<Enter>' $L
assert_contains "$SCREEN" "no match for 'no such words'"

# ? shows every key.
screen '?' $L
expect_screen label-help
screen '?G' $L
assert_contains "$SCREEN" "Backspace"

# Wide characters (CJK, emoji) never break the layout, at 80 columns or on resize.
screen '<Tab>/CJK<Enter><Enter>' $L
expect_screen label-utf8
check_width "$SCREEN" 80
printf '<Tab>/CJK<Enter><Enter>\n:resize 120x40\n:dump %s\n:resize 80x24\n<Tab>\n' \
	"$TEST_DIR/wide.txt" >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 0 $L
SCREEN=$(cat "$TEST_DIR/wide.txt")
expect_screen label-utf8-120x40
check_width "$SCREEN" 120
assert_eq "$(printf '%s\n' "$SCREEN" | wc -l)" 40
SCREEN=$OUT
check_width "$SCREEN" 80
assert_eq "$(printf '%s\n' "$SCREEN" | wc -l)" 24
ISSUEMINE_TUI_SIZE=200x50 screen '<Tab>/CJK<Enter><Enter>' $L
check_width "$SCREEN" 200
assert_contains "$SCREEN" "宽字符不能被切开"

# A terminal too small to show anything takes no keys but quitting: nothing is coded unseen.
printf ':resize 25x5\n1a3b\n:resize 80x24\n' >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 0 label --sample study --rater dora
assert_eq "$(codes_of dora)" ""
assert_contains "$OUT" "0/6 coded - resuming at the first issue not done"

# Blind: bob sees nothing of alice's codes, in the panel or the list.
screen '' label --sample study --rater bob
expect_screen label-blind
screen '<Tab>' label --sample study --rater bob
printf '%s\n' "$SCREEN" | grep -qE '^. +none +- +- +- +pytorch#201 ' || fail "bob's list shows codes: $SCREEN"
assert_eq "$(printf '%s\n' "$SCREEN" | grep -cE '^.  (done|partial|excluded) ' || true)" 0

# Bad input: one line, exit 1 (or 2 for usage), nothing written.
run 1 label --sample nope --rater alice </dev/null
assert_contains "$ERR" "needs a terminal"
ISSUEMINE_TUI_SCRIPT=/dev/null run 1 label --sample nope --rater alice
assert_eq "$ERR" "issuemine: no sample named 'nope'"
printf 'j\n<Wat>\n' >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 1 $L
assert_eq "$ERR" "issuemine: $TEST_DIR/keys: line 2: unknown key <Wat>"
# The script is checked before the UI starts: the keys before a bad line save nothing.
printf '1a\n:resize 80\n' >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 1 label --sample study --rater carol
assert_eq "$ERR" "issuemine: $TEST_DIR/keys: line 2: bad arguments in ':resize 80' (:dump FILE, :resize COLSxROWS)"
assert_eq "$(codes_of carol)" ""
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/missing" run 1 $L
one_line "$ERR"
ISSUEMINE_TUI_SIZE=huge ISSUEMINE_TUI_SCRIPT=/dev/null run 1 $L
assert_contains "$ERR" "ISSUEMINE_TUI_SIZE: 'huge' is not COLSxROWS"
run 2 label --sample study
run 2 label --sample study --rater "al ice"
run 2 label --sample study --rater alice extra
ISSUEMINE_TUI_SCRIPT=/dev/null run 1 label --sample study --rater alice --taxonomy nope
one_line "$ERR"
assert_eq "$(q "SELECT count(*) FROM raters WHERE name = 'al ice'")" 0

# --- the coding workflow: exclusion, the list's codes, filter and order, undo, notes ---
E="label --sample study --rater erin"
# x shows the taxonomy's exclusion reasons with their definitions.
screen 'x' $E
expect_screen label-exclusion-picker
# A letter excludes at once; the line of why that follows is saved with it.
screen 'xbupstream ONNX Runtime bug<Enter>' $E
expect_screen label-excluded
assert_eq "$(q "SELECT e.key || ' ' || x.detail FROM exclusions x JOIN exclusion_reasons e ON e.id = x.reason_id JOIN raters r ON r.id = x.rater_id WHERE r.name = 'erin'")" "not-the-converter upstream ONNX Runtime bug"
# A note over several lines (C-o), shown whole in the reader, first line in the panel.
screen ']1b2c3dbeFirst line<C-o>second line<Enter>' $E
expect_screen label-note-lines
assert_eq "$(q "SELECT replace(note, char(10), '|') FROM notes n JOIN raters r ON r.id = n.rater_id WHERE r.name = 'erin'")" "First line|second line"
# The list: status and the rater's codes per dimension; the excluded issue shows its reason.
screen '<Tab>' $E
expect_screen label-list-codes
screen '<Tab>F' $E
expect_screen label-list-filter
screen '<Tab>Fsa' $E
expect_screen label-list-to-do
screen '<Tab>o' $E
expect_screen label-list-order
ISSUEMINE_TUI_SIZE=120x24 screen '<Tab>ococ' $E
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "6/6 shown, by status (reversed)"
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "excluded"
# h/l walk the list as shown: filtered to the excluded issues, l finds no other.
screen '<Tab>Fx<Enter>l' $E
assert_contains "$SCREEN" "this is the last issue"
# Undo, within a session: the code just made goes, then the one before.
screen '1au' $E
expect_screen label-undo
screen '1a2au<Tab>' $E
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 4p)" "crash"
assert_eq "$(q "SELECT count(*) FROM code_log l JOIN raters r ON r.id = l.rater_id WHERE r.name = 'erin' AND origin = 'undo'")" 2
# A fake $EDITOR writes the note (E); ':' as the editor leaves it as it was.
printf '#!/bin/sh\nprintf "from the editor\\n" >"$1"\n' >"$TEST_DIR/ed"
chmod +x "$TEST_DIR/ed"
EDITOR="$TEST_DIR/ed" screen 'E' $E
assert_contains "$SCREEN" " e Note      from the editor"
assert_eq "$(q "SELECT note FROM notes n JOIN raters r ON r.id = n.rater_id WHERE r.name = 'erin' AND n.issue_id = (SELECT id FROM issues WHERE number = 203)")" "from the editor"
VISUAL=: EDITOR="$TEST_DIR/ed" screen 'E' $E
assert_contains "$SCREEN" "the editor is ':': the note stays as it was"
EDITOR=false screen 'E' $E
assert_contains "$SCREEN" "note not saved: the editor 'false' exited with status 1"
