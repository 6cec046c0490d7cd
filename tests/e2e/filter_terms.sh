# filter_terms.sh - "issuemine filter": every term and event condition of the
# query language, on the hand-made corpus (tests/data/make-filter-corpus.py).
. "$(dirname "$0")/lib.sh"

run 0 import -q "$DATA/filter-corpus.json"

# matches QUERY: the matching issues as sorted "owner/name#N" words.
matches() {
	run 0 filter --format csv "$1"
	printf '%s\n' "$OUT" | tr -d '\r' | tail -n +2 | cut -d, -f1,2 | tr , '#' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
# expect QUERY "WORD...": the matches are exactly these (in any order). The
# matches are taken apart from assert_eq so that a failing filter fails the
# test (set -e ignores a failure inside an argument's $(...)).
expect() {
	local want got
	want=$(printf '%s\n' $2 | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	got=$(matches "$1")
	assert_eq "$got" "$want" "filter '$1'"
}
PT=pytorch/pytorch TF=onnx/tensorflow-onnx OT=other/thing

# repo:, case-insensitive
expect 'repo:other/thing' "$OT#30 $OT#31 $OT#32"
expect 'repo:OTHER/Thing' "$OT#30 $OT#31 $OT#32"
expect 'repo:no/such' ""
# is:
expect 'is:pr' "$PT#13"
expect 'is:open' "$OT#32 $PT#14"
expect 'is:open is:issue' "$OT#32 $PT#14"
expect 'repo:onnx/tensorflow-onnx is:closed' "$TF#20 $TF#21 $TF#22 $TF#23 $TF#24"
assert_eq "$(matches 'is:issue' | wc -w)" 22
# label:, exact and case-insensitive, quoted
expect 'label:question' "$PT#15 $TF#22"
expect 'label:"module: onnx" is:open' "$PT#14"
expect 'label:"MODULE: ONNX" label:question' "$PT#15"
expect 'label:module' ""
expect 'label:"pending on user response"' "$TF#23"
# author:, case-insensitive
expect 'author:carol' "$PT#3"
expect 'author:erin OR author:frank' "$OT#31 $OT#32"
# dates: >=, >, <, <=, a day, ranges (a bare day covers all of it)
expect 'created:<2020-06-01' "$PT#2 $TF#20"
expect 'created:>=2022-12-31' "$OT#31 $OT#32"
expect 'created:>2022-12-31' "$OT#32"
expect 'created:<=2022-12-31 created:>2021-06-01' "$OT#31"
expect 'created:2023-01-01' "$OT#32"
expect 'created:2022-12-31..2023-01-01' "$OT#31 $OT#32"
expect 'created:2023-01-01..*' "$OT#32"
expect 'created:*..2020-01-15' "$TF#20"
expect 'created:>=2022-12-31T23:30:00Z' "$OT#31 $OT#32"
expect 'created:>2022-12-31T23:30:00Z' "$OT#32"
expect 'closed:2020-02-15' "$TF#20"
expect 'closed:>=2023-01-01' "$OT#31"
expect 'updated:2021-07-01' "$PT#14"
# -closed:... also holds for open issues, which have no closing time
expect 'repo:other/thing -closed:>=2023-01-01' "$OT#30 $OT#32"
# patterns on title, body, comments, all of them; /i for case
expect 'title:/^Export/' "$PT#1"
expect 'title:/segfault/' ""
expect 'title:/segfault/i' "$OT#31"
expect 'body:/groups=\d/' "$TF#20"
expect 'comments:/SEGFAULT/' "$OT#31"
expect 'comments:/works now/' "$PT#6"
expect 'text:/segmentation|segfault/i' "$OT#31"
expect 'text:/^works/' "$PT#6"
expect 'title:/a\/b|Docs/' "$OT#32"
# counts
expect 'comments:>=3' "$OT#31"
expect 'comments:1..2' "$PT#6"
expect 'events:5' "$OT#31"
expect 'events:>=2 repo:pytorch/pytorch' "$PT#10 $PT#6"
expect 'events:0' "$OT#32"
# event:TYPE and its conditions
expect 'event:connected' "$PT#4"
expect 'event:disconnected' "$PT#11"
expect 'event:closed[commit] repo:onnx/tensorflow-onnx' "$TF#20 $TF#22"
expect 'event:closed[-commit]' "$PT#6"
expect 'event:referenced[-commit]' "$PT#7"
expect 'event:cross-referenced[pr] repo:pytorch/pytorch' "$PT#10 $PT#3 $PT#8 $PT#9"
expect 'event:cross-referenced[-pr]' "$PT#5"
expect 'event:cross-referenced[state=open]' "$PT#10 $PT#9"
expect 'event:cross-referenced[state=closed|open] repo:onnx/tensorflow-onnx' "$TF#21 $TF#24"
expect 'event:cross-referenced[repo=pytorch]' "$PT#10 $PT#3 $PT#9"
expect 'event:cross-referenced[repo=pytorch/vision]' "$PT#10"
expect 'event:cross-referenced[repo=PyTorch/PyTorch|onnx/onnx]' "$PT#10 $PT#3 $PT#9 $TF#24"
expect 'event:cross-referenced[repo=tensorflow-onnx]' "$PT#5 $TF#21"
# ONE event must meet every condition: #10 has a closed one and a pytorch one, not both
expect 'event:cross-referenced[state=closed, repo=pytorch]' "$PT#3"
expect 'event:cross-referenced[state=closed] event:cross-referenced[repo=pytorch]' "$PT#10 $PT#3"
# dotted JSON paths: =, !=, =null, !=null, numbers, quoted values, alternatives
expect 'event:cross-referenced[source.issue.number=900]' "$PT#3"
expect 'event:cross-referenced[source.issue.state=open, source.issue.number!=901]' "$PT#10"
expect 'event:closed[state_reason=completed]' "$PT#6"
expect 'event:closed[state_reason=null] repo:pytorch/pytorch' "$PT#1 $PT#12 $PT#13 $PT#15"
expect 'event:closed[state_reason!=null]' "$PT#6"
expect 'event:labeled[label.name="bug"]' "$OT#31"
expect 'event:closed[actor.login=alice, commit]' "$OT#31"
expect 'event:cross-referenced[source.issue.repository.full_name="other/repo"|onnx/onnx]' "$PT#8 $TF#24"
expect 'event:commented[body="fixed by #3"]' "$OT#31"
expect 'event:cross-referenced[ source.issue.pull_request.url != null ,state=closed ] repo:onnx/tensorflow-onnx' "$TF#21 $TF#24"
# NOT, -, OR, AND, parentheses and precedence (NOT > AND > OR)
expect 'repo:other/thing -label:bug' "$OT#30 $OT#32"
expect 'repo:other/thing NOT label:bug' "$OT#30 $OT#32"
expect 'repo:other/thing -(label:bug OR label:docs)' "$OT#30"
expect 'label:docs OR label:bug is:open' "$OT#32"
expect '(label:docs OR label:bug) is:closed' "$OT#31 $TF#21"
expect 'label:docs OR label:bug AND is:closed' "$OT#31 $OT#32 $TF#21"
expect 'NOT NOT label:docs' "$OT#32"
expect 'repo:other/thing --label:bug' "$OT#31"
# comments and newlines
expect "# all open issues
is:open   # but only
  repo:other/thing" "$OT#32"
# Values with '#' are not comments, quoted values keep spaces.
expect 'label:"#docs" OR (label:"module: onnx" title:/^Export/)' "$PT#1"
