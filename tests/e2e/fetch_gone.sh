# fetch_gone.sh - issues the search still lists but whose timeline GitHub no
# longer serves (deleted: 410; transferred or hidden: 404). The fetch skips them,
# says so, and completes; it never stops at them, so no rerun is stuck on them.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 6 --issues 60 --profile lean
query='repo:acme/widgets is:issue is:closed'
numbers=$(python3 - "$FAKE_URL" "$query" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/_fake/dump?" + urllib.parse.urlencode({"q": sys.argv[2]})
issues = json.load(urllib.request.urlopen(url))["issues"]
print(" ".join(str(i["number"]) for i in issues))
EOF
)
set -- $numbers
total=$#
deleted=$2
hidden=$4
fake_config "{\"gone\": \"$deleted:410,$hidden:404\"}"

run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"gone": 2'
assert_contains "$OUT" '"complete": true'
assert_eq "$(q "SELECT count(*) FROM issues")" $((total - 2))
assert_eq "$(q "SELECT count(*) FROM issues WHERE number IN ($deleted, $hidden)")" 0
assert_eq "$(q "SELECT count(*) FROM fetch_pending")" 0
# Before it skips a 404, the fetch checks that the repository itself still answers.
assert_eq "$(log_count 'e.get("kind") == "repo"')" 2
run 0 fetch --api rest --api-url "$FAKE_URL" acme/widgets
assert_contains "$OUT" "0 issues (0 new, 0 updated, 0 unchanged)"

