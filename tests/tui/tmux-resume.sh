# tmux-resume.sh - a rater's session in a real terminal (tmux): code three
# issues, quit, reopen, and find the UI at the first issue not fully coded,
# with the database holding every code.
. "$(dirname "$0")/lib.sh"

setup_sample
tmux_start one 100 30 label --sample study --rater alice
tmux_wait one "Codes of alice"
tmux_wait one "issue 1/6 - 0/6 coded"
# #201: symptom Crash, location Node Conversion, cause Incompatibility/External.
tmux_keys one 1 a
tmux_wait one "saved: Symptom = Crash"
tmux_keys one 2 b
tmux_wait one "saved: Location = Node Conversion"
tmux_keys one 3 b b
tmux_wait one "saved: Cause = Incompatibility/External - issue coded"
# ] goes to #203: Wrong Model, Optimization, Shape Problem (arrow keys and Enter work too).
tmux_keys one ]
tmux_wait one "pytorch/pytorch#203  Shape inference"
tmux_keys one 1 b 2 c 3 Down Down Down Enter
tmux_wait one "saved: Cause = Shape Problem - issue coded"
# #31 (l: the next issue): Wrong Model, Node Conversion, Type Problem/Tensor, and a note.
tmux_keys one l
tmux_wait one "onnx/tensorflow-onnx#31  Conv"
tmux_keys one 1 b 2 b 3 c b
tmux_wait one "saved: Cause = Type Problem/Tensor - issue coded"
tmux_keys one e g r o u p s = 4 Enter
tmux_wait one "saved: note"
tmux_wait one "issue 3/6 - 3/6 coded"
tmux_keys one q
tmux_wait one "[exited 0]"

assert_eq "$(codes_of alice)" "onnx/tensorflow-onnx#31 cause type-problem/tensor
onnx/tensorflow-onnx#31 location node-conversion
onnx/tensorflow-onnx#31 symptom wrong-model
pytorch/pytorch#201 cause incompatibility/external
pytorch/pytorch#201 location node-conversion
pytorch/pytorch#201 symptom crash
pytorch/pytorch#203 cause shape-problem
pytorch/pytorch#203 location optimization
pytorch/pytorch#203 symptom wrong-model"
assert_eq "$(q "SELECT note FROM notes")" "groups=4"
assert_eq "$(q "SELECT count(DISTINCT origin) || ' ' || min(origin) FROM code_log
	WHERE rater_id = (SELECT id FROM raters WHERE name = 'alice')")" "1 label"

# Reopened: the first issue not fully coded is #32, the fourth.
tmux_start two 100 30 label --sample study --rater alice
tmux_wait two "issue 4/6 - 3/6 coded"
SCREEN=$(tmux_screen two)
assert_eq "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "onnx/tensorflow-onnx#32  変換に失敗 😀 CJK title"
assert_contains "$SCREEN" "3/6 coded - resuming at the first issue not done"
tmux_keys two Tab
tmux_wait two "status    symptom"
SCREEN=$(tmux_screen two)
# The list shows alice's own codes per dimension, as keys.
assert_contains "$SCREEN" "  done      crash        node-conversion  incompatibility…  pytorch#201"
assert_contains "$SCREEN" "  done      wrong-model  node-conversion  type-problem/te…  tensorflow-onnx#31"
assert_contains "$SCREEN" "> none      -            -                -                 tensorflow-onnx#32"
# C-c quits as cleanly as q.
tmux_keys two C-c
tmux_wait two "[exited 0]"

# A terminal type curses does not know: one line in issuemine's words, exit 1.
TUI_TERM=no-such-terminal tmux_start bogus 100 30 label --sample study --rater alice
tmux_wait bogus "[exited 1]"
assert_contains "$(tmux_screen bogus)" "issuemine: cannot start curses on terminal type 'no-such-terminal' (TERM)"
assert_not_contains "$(tmux_screen bogus)" "Error opening terminal"
