# fetch_keyset.sh - the listing misses nothing: a window is continued from the
# last created_at seen, so an issue that stops matching while the window is
# being listed cannot push another past a page boundary; and a second that
# holds more issues than a search page (or than a search's 1,000-result cap)
# is listed whole from the repository issues endpoint (with --query, whose
# qualifiers that endpoint cannot take, from its own search, up to 1,000).
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
query='repo:acme/widgets is:issue is:closed'

# server_numbers QUERY: the numbers the server matches now, one per line.
server_numbers() {
	python3 - "$FAKE_URL" "$1" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/_fake/dump?" + urllib.parse.urlencode({"q": sys.argv[2]})
for i in json.load(urllib.request.urlopen(url))["issues"]:
    print(i["number"])
EOF
}

# --- an issue stops matching while its window is listed ---
fake_start --seed 41 --issues 400 --profile lean
first=$(server_numbers "$query" | awk 'NR == 1')
[ "$(server_numbers "$query" | wc -l)" -gt 200 ] || fail "the window needs more than two pages"
# The oldest matching issue is reopened just before the second search page is
# answered: page numbers would now skip the issue that moved up to page one.
fake_change "reopen@2" "$first"
run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_eq "$(log_count 'e.get("kind") == "search" and e["page"] != 1')" 0 "search pages past the first"
missing=$(comm -23 <(server_numbers "$query" | sort) <(q "SELECT number FROM issues" | sort))
assert_eq "$missing" "" "issues that match but were not stored"
# The reopened one was stored as listed; the next run finds it no longer matches.
run 0 fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
assert_contains "$OUT" '"stopped": 1,'
fake_check_db "$query" --stopped >/dev/null
assert_eq "$(q "SELECT state FROM issues WHERE number = $first")" open

# --- a second over the cap: the issues endpoint lists it, no cap ---
fake_start --seed 42 --issues 300 --profile lean --burst 400 --search-cap 200
burst=$(python3 -c "import sys; sys.path.insert(0, '$FAKE_DIR'); import corpus; print(corpus.iso(corpus.BURST_TIME))")
in_burst=$(python3 - "$FAKE_URL" "$query created:$burst..$burst" <<'EOF'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/_fake/dump?" + urllib.parse.urlencode({"q": sys.argv[2]})
print(len(json.load(urllib.request.urlopen(url))["issues"]))
EOF
)
[ "$in_burst" -gt 200 ] || fail "the burst holds only $in_burst matching issues; the test needs more than the cap"
run 0 --db cap.db fetch --api rest -q --api-url "$FAKE_URL" --format json acme/widgets
ISSUEMINE_DB=cap.db fake_check_db "$query" >/dev/null
assert_contains "$OUT" '"missed": 0'
assert_contains "$OUT" '"crowded": 1,'
# The endpoint was asked for closed issues, oldest first; pull requests it
# returns too were left out.
[ "$(log_count 'e.get("kind") == "issues"')" -gt 2 ] || fail "the issues endpoint was not used"
assert_eq "$(log_count 'e.get("kind") == "issues" and not ("state=closed" in e["path"] and "sort=created" in e["path"] and "direction=asc" in e["path"])')" 0
assert_eq "$(im --db cap.db sql --no-header "SELECT count(*) FROM issues WHERE is_pull_request" | tr -d '\r')" 0
assert_eq "$(log_count 'e.get("kind") == "search" and e["status"] != 200')" 0

# --- a crowded second under the cap, with a label: one page cannot hold it ---
fake_start --seed 43 --issues 200 --profile lean --burst 260
lquery="$query label:\"module: onnx\""
run 0 --db crowd.db fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
ISSUEMINE_DB=crowd.db fake_check_db "$lquery" >/dev/null
assert_contains "$OUT" '"crowded": 1,'
assert_eq "$(log_count 'e.get("kind") == "issues" and "labels=module%3A%20onnx" not in e["path"]')" 0
# Run again: nothing changed, nothing listed twice, the count agrees.
run 0 --db crowd.db fetch --api rest -q --api-url "$FAKE_URL" --label "module: onnx" --format json acme/widgets
assert_contains "$OUT" '"stopped": 0,'

# --- --query's qualifiers mean nothing to the issues endpoint: the second's own search ---
before=$(log_count 'e.get("kind") == "issues"')
run 0 --db extra.db fetch --api rest -q --api-url "$FAKE_URL" --query '-label:bug' --format json acme/widgets
assert_contains "$OUT" '"crowded": 1,'
assert_contains "$OUT" '"missed": 0'
ISSUEMINE_DB=extra.db fake_check_db "$query -label:bug" >/dev/null
assert_eq "$(log_count 'e.get("kind") == "issues"')" "$before" "issues endpoint requests with --query"

# --- ...which stops at the cap: what is past it is counted, and said ---
fake_start --seed 42 --issues 300 --profile lean --burst 400 --search-cap 200
want=$(server_numbers "$query -label:bug" | wc -l)
for api in rest graphql; do
	run 0 --db capped-$api.db fetch --api $api --api-url "$FAKE_URL" --query '-label:bug' acme/widgets
	assert_contains "$OUT" "issues created within one second could not be listed (with --query, a second holding more than the 1,000 results a search returns"
	missed=$(printf '%s\n' "$OUT" | sed -n 's/^warning: \([0-9]*\) issues created within one second.*/\1/p')
	[ "$missed" -gt 0 ] || fail "$api: nothing missed past the cap"
	assert_eq "$(im --db capped-$api.db sql --no-header 'SELECT count(*) FROM issues' | tr -d '\r')" $((want - missed))
done
