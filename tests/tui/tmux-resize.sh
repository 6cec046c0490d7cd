# tmux-resize.sh - the UI in a real terminal (tmux) that changes size mid-session
# (to 80x24, then 200x50), and an issue of CJK and emoji text: every line fits
# the terminal, nothing is cut in half, and coding still works after a resize.
. "$(dirname "$0")/lib.sh"

setup_sample
tmux_start ui 100 30 label --sample study --rater alice
tmux_wait ui "Codes of alice"
# Open the issue with the CJK title and body (list search, then Enter).
tmux_keys ui Tab /
tmux_keys ui -l "CJK"
tmux_keys ui Enter Enter
tmux_wait ui "onnx/tensorflow-onnx#32  変換に失敗 😀 CJK title"
SCREEN=$(tmux_screen ui)
check_width "$SCREEN" 100
assert_contains "$SCREEN" "转换模型时出错。模型包含中文节点名称：卷积层一、卷积层二、全连接层。"
assert_contains "$SCREEN" "追加情報：TensorFlow 2.7 で再現します 🙏"
assert_contains "$SCREEN" "bob renamed: 変換に失敗 → 変換に失敗 😀 CJK title"

# The bottom lines are where they belong: the panel's last row and the status line.
bottom_rows() {
	printf '%s\n' "$SCREEN" | tail -n 2
}

tmux_cmd resize-window -t ui -x 80 -y 24
tmux_wait ui "── lines 1-16 of 17 ──"
tmux_wait_rows ui 24
SCREEN=$(tmux_screen ui)
check_width "$SCREEN" 80
assert_eq "$(printf '%s\n' "$SCREEN" | wc -l)" 24
assert_eq "$(printf '%s\n' "$SCREEN" | sed -n 2p)" "onnx/tensorflow-onnx#32  変換に失敗 😀 CJK title"
assert_contains "$(bottom_rows)" " x Excluded  (none)"
assert_contains "$SCREEN" "A very long line of mixed text 中文字符和English words mixed together to force"
# Coding after the resize.
tmux_keys ui 1 d
tmux_wait ui "saved: Symptom = Build Failure"

tmux_cmd resize-window -t ui -x 200 -y 50
tmux_wait ui "─── all 14 lines ──"
tmux_wait_rows ui 50
SCREEN=$(tmux_screen ui)
check_width "$SCREEN" 200
assert_eq "$(printf '%s\n' "$SCREEN" | wc -l)" 50
assert_contains "$SCREEN" "A very long line of mixed text 中文字符和English words mixed together to force wrapping across the edge of the screen 宽字符不能被切开."
assert_contains "$(bottom_rows)" "saved: Symptom = Build Failure"
tmux_keys ui 3 b c
tmux_wait ui "saved: Cause = Incompatibility/Resource"

# Back to 80x24 with the picker open: it fits, and still takes keys.
tmux_keys ui 2
tmux_wait ui "Location: pick a category"
tmux_cmd resize-window -t ui -x 80 -y 24
tmux_wait ui "── Location: pick a category ───"
SCREEN=$(tmux_screen ui)
check_width "$SCREEN" 80
tmux_keys ui e
tmux_wait ui "saved: Location = Validation - issue coded"
tmux_keys ui q
tmux_wait ui "[exited 0]"
assert_eq "$(codes_of alice)" "onnx/tensorflow-onnx#32 cause incompatibility/resource
onnx/tensorflow-onnx#32 location validation
onnx/tensorflow-onnx#32 symptom build-failure"

# Colours, unless NO_COLOR is set: SGR foreground colours (ESC[3Xm) only without it.
TUI_NO_COLOR= tmux_start colour 100 30 label --sample study --rater alice
tmux_wait colour "Codes of alice"
tmux_start plain 100 30 label --sample study --rater alice
tmux_wait plain "Codes of alice"
colours() {
	tmux_cmd capture-pane -e -p -t "$1" | grep -c $'\e\\[3[0-7]m\|\e\\[[0-9;]*;3[0-7]m' || true
}
[ "$(colours colour)" -gt 0 ] || fail "no colours without NO_COLOR"
assert_eq "$(colours plain)" 0 "lines with colours under NO_COLOR=1"
assert_contains "$(tmux_cmd capture-pane -e -p -t plain)" $'\e[1;7m issuemine label' "bold reverse title under NO_COLOR"
