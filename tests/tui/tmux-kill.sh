# tmux-kill.sh - what is shown as saved survives kill -9, and two raters code
# the same sample at the same time, each in their own UI, blind to the other.
. "$(dirname "$0")/lib.sh"

setup_sample
tmux_start alice 100 30 label --sample study --rater alice
tmux_start bob 100 30 label --sample study --rater bob
tmux_wait alice "Codes of alice"
tmux_wait bob "Codes of bob"

# Both code #201 at once, alternating keys between the two terminals.
tmux_keys alice 1
tmux_keys bob 1
tmux_keys alice a
tmux_keys bob b
tmux_wait alice "saved: Symptom = Crash"
tmux_wait bob "saved: Symptom = Wrong Model"
tmux_keys alice 3 d
tmux_keys bob 3 d
tmux_wait alice "saved: Cause = Shape Problem"
tmux_wait bob "saved: Cause = Shape Problem"
tmux_keys alice 2 a
tmux_keys bob 2 e
tmux_wait alice "issue coded"
tmux_wait bob "issue coded"
# Blind: neither screen shows the other's codes.
assert_not_contains "$(tmux_screen alice)" "Wrong Model"
assert_not_contains "$(tmux_screen alice)" "Validation"
assert_not_contains "$(tmux_screen bob)" "Crash"
assert_not_contains "$(tmux_screen bob)" "Load Model"
assert_eq "$(codes_of alice)" "pytorch/pytorch#201 cause shape-problem
pytorch/pytorch#201 location load-model
pytorch/pytorch#201 symptom crash"
assert_eq "$(codes_of bob)" "pytorch/pytorch#201 cause shape-problem
pytorch/pytorch#201 location validation
pytorch/pytorch#201 symptom wrong-model"

# kill -9 right after the screen says a code is saved: the code is in the database.
tmux_keys alice ]
tmux_wait alice "pytorch/pytorch#203"
tmux_keys alice 3 l b
tmux_wait alice "saved: Cause = Algorithmic Error/Incorrect Tracing"
kill -9 "$(tmux_pid alice)"
tmux_wait alice "[exited 137]"
assert_contains "$(codes_of alice)" "pytorch/pytorch#203 cause algorithmic-error/incorrect-tracing"
# bob's UI was not disturbed and still saves; the killed UI reopens where it was.
tmux_keys bob ]
tmux_wait bob "pytorch/pytorch#203"
tmux_keys bob 1 f
tmux_wait bob "saved: Symptom = Unreported"
tmux_start alice2 100 30 label --sample study --rater alice
tmux_wait alice2 "issue 2/6 - 1/6 coded"
assert_contains "$(tmux_screen alice2)" "3 Cause     Algorithmic Error/Incorrect Tracing"
tmux_keys alice2 q
tmux_keys bob q
tmux_wait alice2 "[exited 0]"
tmux_wait bob "[exited 0]"
assert_contains "$(codes_of bob)" "pytorch/pytorch#203 symptom unreported"
