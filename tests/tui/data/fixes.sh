# fixes.sh - the sample of the fix-view tests (sourced by tests/tui/fixview.sh
# and tmux-fixview.sh after lib.sh): issues fetched from the fake GitHub and
# their fixes fetched with "issuemine fixes fetch", one fix given its files.
#
# The sample "study" holds, in this order:
#   $FIX_ISSUE    closed by a commit of pytorch/pytorch whose five files the
#                 fake serves as given below: three symbolic_opsetN.py (one
#                 renamed), a test and a binary image; so the rules suggest
#                 Node Conversion, 3 of 5 files
#   $TESTS_ISSUE  closed by a commit that changes only tests (cause Testing)
#   $PLAIN_ISSUE  closed, its timeline names no commit or pull request
#   $UNFETCHED    added to the sample after the fixes were fetched
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"
# fakegithub/lib.sh replaced the trap: the tmux server must die too.
trap 'fake_stop; tmux_cmd kill-server >/dev/null 2>&1 || true; cd /; rm -rf "$TEST_DIR"' EXIT
export GITHUB_TOKEN=ghp_any_token_the_fake_accepts

fake_start --seed 5 --issues 40 --profile lean --repo pytorch/pytorch
run 0 fetch -q --api-url "$FAKE_URL" pytorch/pytorch

closing="SELECT i.number || ' ' || e.commit_id FROM issues i JOIN events e ON e.issue_id = i.id
	WHERE e.event = 'closed' AND e.commit_id IS NOT NULL AND i.is_pull_request = 0
	AND json_extract(e.raw, '$.commit_url') LIKE '%/repos/pytorch/pytorch/%' ORDER BY i.number"
read -r FIX_ISSUE FIX_SHA <<<"$(q "$closing LIMIT 1")"
read -r TESTS_ISSUE TESTS_SHA <<<"$(q "$closing LIMIT 1 OFFSET 1")"
PLAIN_ISSUE=$(q "SELECT number FROM issues i WHERE is_pull_request = 0 AND state = 'closed'
	AND NOT EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND (e.commit_id IS NOT NULL
	OR e.event IN ('cross-referenced', 'connected'))) ORDER BY number LIMIT 1")
UNFETCHED=$(q "SELECT number FROM issues WHERE is_pull_request = 0 AND number NOT IN
	($FIX_ISSUE, $TESTS_ISSUE, $PLAIN_ISSUE) ORDER BY number LIMIT 1")
[ -n "$FIX_SHA" ] && [ -n "$TESTS_SHA" ] && [ -n "$PLAIN_ISSUE" ] && [ -n "$UNFETCHED" ] ||
	fail "the fake corpus lacks the issues the fix view tests need"

# The files: hunks, a line longer than any screen, wide characters, a rename, a binary file.
fake_config "$(python3 - "$FIX_SHA" "$TESTS_SHA" <<'PY'
import json, sys
fix, tests = sys.argv[1], sys.argv[2]
opset9 = "\n".join([
    "@@ -120,7 +120,9 @@ def unsqueeze(g, self, dim):",
    "     if dim < 0:",
    "-        dim = dim + 1",
    "+        # 负的维度从末尾数起 (negative dims count from the end) \U0001f527",
    "+        rank = symbolic_helper._get_tensor_rank(self)",
    "+        dim = dim + rank + 1",
    "     return g.op(\"Unsqueeze\", self, axes_i=[dim])",
    "@@ -410,4 +412,4 @@ def squeeze(g, self, dim=None):",
    "-    return symbolic_helper._squeeze_helper(g, self, [dim])",
    "+    return symbolic_helper._squeeze_helper(g, self, [dim], keep_dims_when_the_rank_is_unknown_because_the_input_comes_from_a_dynamic_shape=True)",
    "     # end of squeeze",
])
opset11 = "\n".join([
    "@@ -88,6 +88,6 @@ def unsqueeze(g, self, dim):",
    "     if symbolic_helper._is_constant(dim):",
    "-        dim = symbolic_helper._get_const(dim, \"i\", \"dim\")",
    "+        dim = symbolic_helper._get_const(dim, \"i\", \"dim\") % (rank + 1)",
    "     return opset9.unsqueeze(g, self, dim)",
])
opset13 = "\n".join([
    "@@ -1,3 +1,4 @@",
    " # opset 13: Unsqueeze takes its axes as an input",
    "+from torch.onnx import symbolic_opset11 as opset11",
    " def unsqueeze(g, self, dim):",
    "     return g.op(\"Unsqueeze\", self, dim)",
])
test = "\n".join([
    "@@ -0,0 +1,6 @@",
    "+class TestUnsqueeze(onnx_test_common._TestONNXRuntime):",
    "+    def test_unsqueeze_negative_dim(self):",
    "+        class M(torch.nn.Module):",
    "+            def forward(self, x):",
    "+                return x.unsqueeze(-1)",
    "+        self.run_test(M(), torch.randn(2, 3))",
])
only_test = "\n".join(["@@ -10,2 +10,3 @@", "     def test_flaky(self):", "+        self.skipTest(\"flaky on CI\")", "         pass"])
print(json.dumps({"fix_content": {
    "commit:pytorch/pytorch@" + fix: [
        {"filename": "torch/onnx/symbolic_opset9.py", "patch": opset9},
        {"filename": "torch/onnx/symbolic_opset11.py", "patch": opset11},
        {"filename": "torch/onnx/symbolic_opset13.py", "status": "renamed",
         "previous_filename": "torch/onnx/symbolic_opset12.py", "patch": opset13},
        {"filename": "test/onnx/test_pytorch_onnx_onnxruntime.py", "status": "added", "patch": test},
        {"filename": "docs/source/_static/img/onnx_export.png", "status": "added"},
    ],
    "commit:pytorch/pytorch@" + tests: [
        {"filename": "test/onnx/test_utility_funs.py", "patch": only_test},
    ],
}}))
PY
)"

for i in "$FIX_ISSUE" "$TESTS_ISSUE" "$PLAIN_ISSUE"; do
	run 0 code --sample study --rater setup --add-to-sample "pytorch/pytorch#$i" --note ""
done
run 0 fixes fetch -q --api-url "$FAKE_URL" --set study
run 0 code --sample study --rater setup --add-to-sample "pytorch/pytorch#$UNFETCHED" --note ""
assert_eq "$(q "SELECT files_stored FROM fix_changes WHERE sha = '$FIX_SHA'")" 5
assert_eq "$(q "SELECT count(*) FROM fix_state s JOIN issues i ON i.id = s.issue_id WHERE i.number = $UNFETCHED")" 0
