# tmux-fixview.sh - the fix view in a real terminal (tmux), in colour: a rater
# opens it, moves between fixes and between files, reads and searches the
# diff (added lines green, removed red, hunk headers cyan; plain with
# NO_COLOR), opens a change's URL with $BROWSER, and accepts a suggestion;
# the screen and the database are checked at each step.
. "$(dirname "$0")/lib.sh"
. "$TUI_DIR/data/fixes.sh"

# capture NAME: the pane with its colours, as escape sequences.
capture() {
	tmux_cmd capture-pane -e -p -t "$1"
}
ESC=$(printf '\033')
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >>"%s"\n' "$TEST_DIR/opened" >"$TEST_DIR/browser"
chmod +x "$TEST_DIR/browser"

TUI_NO_COLOR="" TUI_BROWSER="$TEST_DIR/browser" tmux_start ui 100 30 label --sample study --rater alice
tmux_wait ui "Codes of alice"
assert_contains "$(tmux_screen ui)" " 2 Location  (none)   s: Node Conversion (3/5 files: torch/onnx/symbolic*.py)"

# f: the changes; the fixes first, then the linked ones.
tmux_keys ui f
tmux_wait ui "Fixes of pytorch/pytorch#$FIX_ISSUE"
SCREEN=$(tmux_screen ui)
assert_contains "$SCREEN" " fix     PR      pytorch/pytorch#"
assert_contains "$SCREEN" " fix     commit  pytorch/pytorch@${FIX_SHA:0:7}"
# Move to the closing commit, open its files, then the third file's diff.
tmux_keys ui j Enter
tmux_wait ui "5 files ──"
assert_contains "$(tmux_screen ui)" "renamed    +1 -0  torch/onnx/symbolic_opset12.py → torch/onnx/symbolic_opset13.py"
tmux_keys ui j j Enter
tmux_wait ui "file 3/5"
# (near the end of the diff a file's header shows as far up as the diff allows)
assert_contains "$(tmux_screen ui)" "renamed +1 -0 torch/onnx/symbolic_opset12.py → torch/onnx/symbolic_opset13.py"
# ] and [ between files.
tmux_keys ui ]
tmux_wait ui "file 4/5"
assert_contains "$(tmux_screen ui)" "added +6 -0 test/onnx/test_pytorch_onnx_onnxruntime.py"
tmux_keys ui [ [ [
tmux_wait ui "file 1/5"
assert_contains "$(tmux_screen ui | sed -n 3p)" "modified +4 -2 torch/onnx/symbolic_opset9.py"

# The diff in colour: + lines green, - lines red, hunk headers cyan.
# coloured TEXT SGR: the pane's line with TEXT sets that colour (tmux writes ESC[SGRm).
coloured() {
	printf '%s\n' "$PANE" | grep -F -- "$1" | grep -q "${ESC}\[$2m" ||
		fail "'$1' is not in colour $2: $(printf '%s\n' "$PANE" | grep -F -- "$1")"
}
PANE=$(capture ui)
coloured "+        rank = symbolic_helper" 32
coloured "-        dim = dim + 1" 31
coloured "@@ -120,7 +120,9 @@" 36
coloured "modified +4 -2 torch/onnx/symbolic_opset9.py" 33
# Wide characters stay within the pane.
check_width "$(tmux_screen ui)" 100
assert_contains "$(tmux_screen ui)" "负的维度从末尾数起 (negative dims count from the end) 🔧"

# / searches the diff; n goes to the next match, N back, wrapping around.
tmux_keys ui -l "/def unsqueeze"
tmux_keys ui Enter
tmux_wait ui "lines 2-"
assert_contains "$(tmux_screen ui | sed -n 3p)" "@@ -120,7 +120,9 @@ def unsqueeze(g, self, dim):"
tmux_keys ui n
tmux_wait ui "file 2/5"
assert_contains "$(tmux_screen ui)" "@@ -88,6 +88,6 @@ def unsqueeze(g, self, dim):"
tmux_keys ui n
tmux_wait ui "file 3/5"
tmux_keys ui N
tmux_wait ui "file 2/5"
tmux_keys ui n n
tmux_wait ui "search wrapped around"
assert_contains "$(tmux_screen ui | sed -n 2p)" "file 1/5"
# The search's matches are shown (reverse video).
PANE=$(capture ui)
printf '%s\n' "$PANE" | grep -F "@@ -120,7" | grep -q "${ESC}\[4;7m${ESC}\[39mdef unsqueeze" ||
	fail "the match is not highlighted: $(printf '%s\n' "$PANE" | grep -F "@@ -120,7")"

# Back out to the changes, and move to another one: a linked pull request.
tmux_keys ui h
tmux_wait ui "5 files ──"
tmux_keys ui q
tmux_wait ui "Fixes of pytorch/pytorch#$FIX_ISSUE"
# (the list's order: fixes, then linked changes; pull requests first, by repository and number)
linked=$(q "SELECT c.repo || '#' || c.number FROM issue_fixes c JOIN issues i ON i.id = c.issue_id
	WHERE i.number = $FIX_ISSUE AND c.role = 'linked' AND c.kind = 'pr' ORDER BY c.repo, c.number LIMIT 1")
tmux_keys ui j Enter
tmux_wait ui "── $linked "
assert_contains "$(tmux_screen ui | sed -n 3p)" "modified"

# o: the selected change's URL, opened with $BROWSER; the screen comes back.
tmux_keys ui q
tmux_wait ui "Fixes of pytorch/pytorch#$FIX_ISSUE"
tmux_keys ui k o
tmux_wait ui "opened https://github.com/pytorch/pytorch/commit/"
assert_eq "$(cat "$TEST_DIR/opened")" "https://github.com/pytorch/pytorch/commit/$FIX_SHA"
assert_contains "$(tmux_screen ui)" "Fixes of pytorch/pytorch#$FIX_ISSUE"

# s from the fix view: the suggestion is saved as a code, logged as one.
tmux_keys ui s
tmux_wait ui "saved as suggested: Location = Node Conversion"
assert_eq "$(codes_of alice)" "pytorch/pytorch#$FIX_ISSUE location node-conversion"
assert_eq "$(q "SELECT origin FROM code_log l JOIN raters r ON r.id = l.rater_id WHERE r.name = 'alice'")" "suggestion"
tmux_keys ui f
tmux_wait ui "as suggested (3/5 files: torch/onnx/symbolic*.py)"
# The help lists the fix view's keys.
tmux_keys ui ? Space
tmux_wait ui "The fix view"
assert_contains "$(tmux_screen ui)" "] / [             next / previous file (the diff: its header)"
tmux_keys ui q q
tmux_wait ui "[exited 0]"

# NO_COLOR: the same diff, plain.
tmux_start plain 100 30 label --sample study --rater bob
tmux_wait plain "Codes of bob"
tmux_keys plain f j Enter Enter
tmux_wait plain "file 1/5"
PANE=$(capture plain)
assert_contains "$PANE" "+        rank = symbolic_helper"
printf '%s\n' "$PANE" | grep -q "${ESC}\[3[1-7]m" && fail "colours with NO_COLOR: $PANE"
# bob sees the suggestion, never alice's code.
tmux_keys plain f
tmux_wait plain " 2 Location  (none)   s: Node Conversion"
assert_not_contains "$(tmux_screen plain)" "as suggested"
tmux_keys plain q
tmux_wait plain "[exited 0]"
assert_eq "$(codes_of bob)" ""
