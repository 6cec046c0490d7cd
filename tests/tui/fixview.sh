# fixview.sh - the fix view and the rules' suggestions, headless: screens of
# each level compared with tests/tui/screens/, moving between changes and
# files, searching the diff, wide characters and long lines, the issues with
# no fix data or no fix, URLs with and without $BROWSER; accepting a
# suggestion (s, =), undoing it, with the database checked; and blind coding
# kept with suggestions on.
. "$(dirname "$0")/lib.sh"
. "$TUI_DIR/data/fixes.sh"
L="label --sample study --rater alice"
second_line() { printf '%s\n' "$SCREEN" | sed -n 2p; }
log_of() {
	q "SELECT coalesce(c.key, '-') || ' ' || l.origin FROM code_log l JOIN raters r ON r.id = l.rater_id
	   LEFT JOIN categories c ON c.id = l.category_id WHERE r.name = '$1' ORDER BY l.id"
}

# The panel says what the rules suggest for the fix's files, and on what evidence.
screen '' $L
expect_screen fixview-panel
assert_contains "$SCREEN" " 2 Location  (none)   s: Node Conversion (3/5 files: torch/onnx/symbolic*.py)"
assert_contains "$SCREEN" " 3 Cause     (none)   (no suggestion: no rule matches its 5 files)"

# f: the fixes and linked changes; Enter: a change's files; Enter: the diff.
screen 'f' $L
expect_screen fixview-changes
assert_contains "$(second_line)" "Fixes of pytorch/pytorch#$FIX_ISSUE"
screen 'f<Enter>' $L
expect_screen fixview-files
screen 'f<Enter><Enter>' $L
expect_screen fixview-diff
check_width "$SCREEN" 80
assert_contains "$SCREEN" "@@ -120,7 +120,9 @@ def unsqueeze(g, self, dim):"
assert_contains "$SCREEN" "负的维度从末尾数起"

# ] and [ move between files; the header says which; the ends say so.
screen 'f<Enter><Enter>]' $L
assert_contains "$(second_line)" "file 2/5"
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "modified +1 -1 torch/onnx/symbolic_opset11.py"
screen 'f<Enter><Enter>]]]]]' $L
assert_contains "$(second_line)" "file 5/5"
assert_contains "$SCREEN" "this is the last file"
assert_contains "$SCREEN" "(no diff: GitHub sends none for a binary file"
screen 'f<Enter><Enter>]][' $L
assert_contains "$(second_line)" "file 2/5"
screen 'f<Enter><Enter>[' $L
assert_contains "$SCREEN" "this is the first file"
# j moves inside the file: [ goes back to its header first.
screen 'f<Enter><Enter>]jj[' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "torch/onnx/symbolic_opset11.py"
# Enter on a file of the list opens the diff at that file; h comes back with it selected.
screen 'f<Enter>jj<Enter>' $L
assert_contains "$(second_line)" "file 3/5"
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "renamed +1 -0 torch/onnx/symbolic_opset12.py → torch/onnx/symbolic_opset13.py"
screen 'f<Enter>jj<Enter>]h<Enter>' $L
assert_contains "$(second_line)" "file 4/5"
# h, q and Escape step back out; f closes the view from anywhere.
screen 'f<Enter><Enter>h' $L
expect_screen fixview-files
screen 'f<Enter><Enter>qq' $L
expect_screen fixview-changes
screen 'f<Enter><Enter>qq<Esc>' $L
assert_contains "$SCREEN" "Timeline:"
screen 'f<Enter><Enter>f' $L
assert_contains "$SCREEN" "Timeline:"

# / searches the diff, n and N the next and previous match (wrapping around).
screen 'f<Enter><Enter>/unsqueeze<Enter>' $L
expect_screen fixview-search
screen 'f<Enter><Enter>/unsqueeze<Enter>nnn' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "return opset9.unsqueeze(g, self, dim)"
screen 'f<Enter><Enter>/unsqueeze<Enter>nnnN' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "def unsqueeze(g, self, dim):"
screen 'f<Enter><Enter>/keep_dims_when<Enter>' $L
assert_contains "$(printf '%s\n' "$SCREEN" | sed -n 3p)" "keep_dims_when_the_rank_is_unknown"
screen 'f<Enter><Enter>/no such text<Enter>' $L
assert_contains "$SCREEN" "no match for 'no such text'"
# The lists are searched too.
screen 'f<Enter>/test_pytorch<Enter><Enter>' $L
assert_contains "$(second_line)" "file 4/5"

# Long lines wrap and wide characters never cross the edge, at any width; a resize keeps the place.
ISSUEMINE_TUI_SIZE=40x24 screen 'f<Enter><Enter>' $L
check_width "$SCREEN" 40
assert_contains "$SCREEN" "负的维度从末尾数起"
printf 'f<Enter><Enter>]]\n:resize 50x20\n:dump %s\n:resize 80x24\n' "$TEST_DIR/narrow.txt" >"$TEST_DIR/keys"
ISSUEMINE_TUI_SCRIPT="$TEST_DIR/keys" run 0 $L
check_width "$(cat "$TEST_DIR/narrow.txt")" 50
assert_contains "$(sed -n 3p "$TEST_DIR/narrow.txt")" "renamed +1 -0 torch/onnx/symbolic_opset12.py"
assert_contains "$(printf '%s\n' "$OUT" | sed -n 2p)" "file 3/5"
check_width "$OUT" 80

# A gone change (a deleted fork's commit) says so instead of opening.
gone=$(im fixes list --set study --format json | python3 -c '
import json, sys
issue = [i for i in json.load(sys.stdin) if i["issue"] == "pytorch/pytorch#'"$FIX_ISSUE"'"][0]
print([i for i, c in enumerate(issue["changes"]) if c["status"] == "gone"][0])')
screen "f$(printf 'j%.0s' $(seq "$gone"))<Enter>" $L
assert_contains "$SCREEN" "this change is gone: GitHub answered 404, nothing of it is stored"

# No fix fetched: the view says so and names the command; fetched but none: says that.
screen 'lllf' $L
expect_screen fixview-unfetched
assert_contains "$SCREEN" "issuemine fixes fetch --set study"
screen 'llf' $L
assert_contains "$SCREEN" "Fetched: the timeline of this issue names no pull request or commit."

# o: the URL on the status line to copy, or opened with $BROWSER (here a script that records it).
screen 'o' $L
assert_contains "$(printf '%s\n' "$SCREEN" | tail -1)" "https://github.com/pytorch/pytorch/issues/$FIX_ISSUE"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >>"%s"\n' "$TEST_DIR/opened" >"$TEST_DIR/browser"
chmod +x "$TEST_DIR/browser"
BROWSER="$TEST_DIR/browser" screen 'fjo' $L
assert_eq "$(cat "$TEST_DIR/opened")" "https://github.com/pytorch/pytorch/commit/$FIX_SHA"
assert_contains "$SCREEN" "opened https://github.com/pytorch/pytorch/commit/${FIX_SHA:0:20}"
# A list of commands: the first that fails is passed over; %s places the URL.
rm -f "$TEST_DIR/opened"
BROWSER="false:$TEST_DIR/browser %s" screen 'o' $L
assert_eq "$(cat "$TEST_DIR/opened")" "https://github.com/pytorch/pytorch/issues/$FIX_ISSUE"
BROWSER=false screen 'o' $L
assert_contains "$SCREEN" "\$BROWSER ('false') exited with status 1"

# s accepts the suggestion: saved as a code, logged as a suggestion; u takes it back.
assert_eq "$(codes_of alice)" ""
screen 's' $L
expect_screen fixview-accepted
assert_eq "$(codes_of alice)" "pytorch/pytorch#$FIX_ISSUE location node-conversion"
assert_eq "$(log_of alice)" "node-conversion suggestion"
screen '20su' $L
assert_contains "$SCREEN" "undone: Location: Node Conversion → (none)"
assert_eq "$(codes_of alice)" ""
assert_eq "$(log_of alice)" "node-conversion suggestion
- label
node-conversion suggestion
- undo"
# From the fix view too; on the issue whose fix only touches tests, the cause is Testing.
screen 'lf<Enter><Enter>s' $L
assert_contains "$SCREEN" "saved as suggested: Cause = Testing"
assert_eq "$(codes_of alice)" "pytorch/pytorch#$TESTS_ISSUE cause testing"
# s never overwrites a code; = in the dimension's list does.
screen '2a' $L
screen 's' $L
assert_contains "$SCREEN" "nothing to accept: the dimensions with a suggestion are coded"
assert_eq "$(codes_of alice | grep "#$FIX_ISSUE ")" "pytorch/pytorch#$FIX_ISSUE location load-model"
screen '2' $L
expect_screen fixview-picker
screen '2=' $L
assert_eq "$(codes_of alice | grep "#$FIX_ISSUE ")" "pytorch/pytorch#$FIX_ISSUE location node-conversion"
assert_eq "$(log_of alice | tail -2)" "load-model label
node-conversion suggestion"
assert_contains "$SCREEN" " 2 Location  Node Conversion   as suggested (3/5 files: torch/onnx/symbolic"

# Blind coding stays blind with suggestions on: bob sees the same suggestion
# and none of alice's codes (the screen is the one alice saw before coding).
screen '' label --sample study --rater bob
assert_eq "$(printf '%s\n' "$SCREEN" | sed 1d)" "$(sed '1d; s/Codes of alice /Codes of bob ──/' "$SCREENS/fixview-panel.screen")"
screen 'f<Enter><Enter>' label --sample study --rater bob
assert_eq "$(printf '%s\n' "$SCREEN" | sed 1d)" "$(sed '1d; s/Codes of alice /Codes of bob ──/' "$SCREENS/fixview-diff.screen")"
screen '<Tab>' label --sample study --rater bob
assert_not_contains "$SCREEN" "node-conversion"
assert_not_contains "$SCREEN" "testing"
assert_eq "$(codes_of bob)" ""

# Reconciling shows the fix view too, without suggestions.
im code --sample study --rater bob "pytorch/pytorch#$FIX_ISSUE" location=optimization >/dev/null
screen '' reconcile --sample study --raters alice,bob --as carol
assert_not_contains "$SCREEN" "3/5 files"
screen 'f<Enter>' reconcile --sample study --raters alice,bob --as carol
assert_contains "$SCREEN" "torch/onnx/symbolic_opset9.py"
