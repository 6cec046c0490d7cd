# fetch_api_url.sh - an --api-url that is not GitHub's API fails at once with
# one line naming it: a web server's HTML page (404 or 200) is not retried as
# a truncated answer and is not taken for a gone issue or fix; a host whose
# GraphQL endpoint is missing (a GitHub Enterprise Server without it) says so
# and points at --api rest. Nothing is left behind. A URL holding a password
# is refused without being repeated. fixes fetch asks the API the set was
# fetched from unless told otherwise.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 3 --issues 30 --profile lean

for status in 404 200; do
	url="$FAKE_URL/_fake/web/$status"
	for api in rest graphql; do
		run 1 --db web.db fetch --api $api --api-url "$url" acme/widgets
		one_line "$ERR"
		assert_contains "$ERR" "issuemine: fetch acme/widgets: repository acme/widgets: $url is not GitHub's API: it answered $status"
		assert_contains "$ERR" "with a text/html page, not GitHub's JSON (check --api-url)"
		assert_not_contains "$ERR" "no such repository"
		assert_not_contains "$ERR" "tries"
		[ ! -e web.db ] || fail "a database was left behind"
	done
done

# The REST side answers, the GraphQL endpoint does not.
run 1 --db web.db fetch --api graphql --api-url "$FAKE_URL/nothere" acme/widgets
one_line "$ERR"
assert_contains "$ERR" "$FAKE_URL/nothere/graphql: no GraphQL API there (GitHub answered 404 Not Found"
assert_contains "$ERR" "check --api-url, or fetch with --api rest"
[ ! -e web.db ] || fail "a database was left behind"

# fixes fetch: a wrong --api-url is a failure, not every fix gone.
run 0 fetch --api rest -q --api-url "$FAKE_URL" --state all acme/widgets
run 0 filter --save all 'is:issue'
run 1 fixes fetch --api-url "$FAKE_URL/_fake/web/404" --set all
one_line "$ERR"
assert_contains "$ERR" "is not GitHub's API: it answered 404 Not Found with a text/html page"
assert_eq "$(q "SELECT count(*) FROM fix_changes WHERE status = 'gone'")" 0

# A user name or password in --api-url would be stored with the fetch and named
# in messages: refused, without repeating it.
for cmd in "fetch acme/widgets" "fixes fetch --set all"; do
	read -r -a words <<<"$cmd"
	run 2 "${words[@]}" --api-url "http://x-access-token:Secr3tInUrl@127.0.0.1:9/api/v3"
	assert_contains "$ERR" "--api-url holds a user name or password, which would be stored with the fetch and shown in messages"
	assert_not_contains "$ERR$OUT" "Secr3tInUrl"
done

# Without --api-url or --hostname, fixes fetch asks the API the set's issues
# were fetched from, whatever GH_HOST says; GH_HOST (https://HOST/api/v3) is
# for issues that were only imported; a set fetched from two APIs needs one named.
GH_HOST=ghe.invalid run 0 fixes fetch -q --set all
assert_eq "$(q "SELECT count(*) > 0 FROM fix_changes WHERE status <> 'gone'")" 1
run 0 import "$DATA/dump-small.json"
run 0 filter --save imported 'repo:pytorch/pytorch'
GH_HOST=ghe.invalid run 1 fixes fetch --set imported
assert_contains "$ERR" "Could not resolve host: ghe.invalid"
# (as if pytorch/pytorch had been fetched from another host)
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO fetch_queries (api_url, query, repo_id) SELECT ?, ?, id FROM repositories WHERE full_name = ?", ("https://ghe.invalid/api/v3", "repo:pytorch/pytorch", "pytorch/pytorch"))
db.commit()' "$ISSUEMINE_DB"
run 0 filter --save both 'repo:pytorch/pytorch OR repo:acme/widgets'
run 1 fixes fetch --set both
one_line "$ERR"
assert_eq "$ERR" "issuemine: fixes fetch: the issues of set 'both' were fetched from more than one API; name the one to ask with --api-url or --hostname"
# --hostname names the host, and plain http to another machine needs --insecure-http.
run 1 fixes fetch --set all --hostname ghe2.invalid
assert_contains "$ERR" "Could not resolve host: ghe2.invalid"
run 2 fixes fetch --set all --hostname 'not a host'
assert_contains "$ERR" "--hostname 'not a host' is not a host name"
run 2 fixes list --set all --hostname ghe.invalid
assert_contains "$ERR" "go with fetch"
run 1 fixes fetch --set all --api-url http://0.0.0.0:9
one_line "$ERR"
assert_contains "$ERR" "is plain http to another machine"
run 1 fixes fetch --set all --api-url http://0.0.0.0:9 --insecure-http
assert_contains "$ERR" "warning: --api-url http://0.0.0.0:9 is plain http"
