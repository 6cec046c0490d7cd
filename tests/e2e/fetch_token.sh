# fetch_token.sh - no part of the token ever reaches an error, a warning, the
# database or any file, in either API and in "fixes fetch", even from a
# server whose error messages repeat it (--echo-token: at many offsets, so
# that wherever a long message is cut a copy of the token is cut too): a
# 401, 5xx answers given up on, GraphQL errors arrays and partial answers;
# and a redirect to another host is followed without it.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

TOKEN="Zq7WkP3xVr9Lm2TnB8cYd4HsJ6gFa1Eu"
BAD="Rt5NvX8bQm3KpL6wZc9YhD2sGf7JaE4u"
printf '%s\n' "$TOKEN" >token.txt

# leaks FILE...: fails if any 6 characters in a row of either token are in a file.
leaks() {
	python3 - "$TOKEN" "$BAD" "$@" <<'EOF'
import sys
tokens, files = sys.argv[1:3], sys.argv[3:]
for f in files:
    text = open(f, "rb").read().decode("utf-8", "replace")
    for t in tokens:
        for i in range(len(t) - 5):
            if t[i:i + 6] in text:
                sys.exit("%s holds %r of a token" % (f, t[i:i + 6]))
EOF
}
# attempt NAME ARGS...: runs issuemine expecting failure, keeps its output in NAME.out.
attempt() {
	local name=$1
	shift
	run 1 "$@"
	printf '%s\n%s\n' "$OUT" "$ERR" >"$name.out"
	[ -n "$ERR" ] || fail "$name: no error"
}

fake_start --seed 3 --issues 40 --profile lean --token-file token.txt --echo-token
for api in rest graphql; do
	# A wrong token: the 401's message repeats it.
	GH_ENTERPRISE_TOKEN=$BAD attempt "401-$api" --db bad.db fetch --api $api --api-url "$FAKE_URL" acme/widgets
	assert_contains "$ERR" "401 Unauthorized"
	assert_contains "$ERR" "[token]"
done
export GH_ENTERPRISE_TOKEN=$TOKEN

# 502s until the client gives up, then GraphQL answers partial every time.
fake_config '{"p502": 1}'
attempt 502 --db faults.db fetch --api graphql --api-url "$FAKE_URL" acme/widgets
fake_config '{"p502": 0, "gql_ppartial": 1}'
attempt partial --db faults.db fetch --api graphql --api-url "$FAKE_URL" acme/widgets
assert_contains "$ERR" "a partial answer"
assert_contains "$ERR" "[token]"

# A clean fetch, then fixes fetch with a wrong token and through GitHub's errors.
fake_config '{"gql_ppartial": 0}'
run 0 fetch --api graphql -q --api-url "$FAKE_URL" --state all acme/widgets
run 0 filter --save all 'is:issue'
GH_ENTERPRISE_TOKEN=$BAD attempt fixes-401 fixes fetch --api-url "$FAKE_URL" --set all
assert_contains "$ERR" "[token]"
fake_config '{"p502": 1}'
attempt fixes-502 fixes fetch --api-url "$FAKE_URL" --set all

# A fetch that did succeed, past errors: the warnings too.
fake_config '{"p502": 0.3, "gql_ppartial": 0.3}'
run 0 --db ok.db fetch --api graphql --api-url "$FAKE_URL" --state all acme/widgets
printf '%s\n%s\n' "$OUT" "$ERR" >ok.out
[ "$(log_count 'e["fault"] == "gql-partial"')" -gt 0 ] || fail "no partial answer"

# Every file: outputs, fake server logs, and the databases' bytes (deleted rows too).
for f in ./* ./.??*; do
	case $f in ./token.txt) continue ;; esac
	if [ -f "$f" ]; then leaks "$f"; fi
done

# Redirected to another host, in either API: the token does not follow.
python3 "$FAKE_DIR/server.py" --port-file other.port --log other.log --issues 40 --profile lean \
	>/dev/null 2>&1 &
other=$!
trap 'kill $other 2>/dev/null || true; fake_stop; cd /; rm -rf "$TEST_DIR"' EXIT
for _ in $(seq 100); do [ -s other.port ] && break; sleep 0.1; done
[ -s other.port ] || fail "the other server did not start"
for api in rest graphql; do
	"$ISSUEMINE" --db away.db fetch --api $api -q --api-url "$FAKE_URL/_fake/away/$(cat other.port)" \
		acme/widgets >/dev/null 2>&1 || true
done
[ "$(FAKE_LOG=other.log log_count 'True')" -gt 0 ] || fail "nothing was redirected"
assert_eq "$(FAKE_LOG=other.log log_count 'e["auth"] != "none"')" 0 "requests to another host with a token"
