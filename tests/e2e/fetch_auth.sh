# fetch_auth.sh - which token a fetch sends, and where: the gh CLI's order
# (GH_TOKEN, GITHUB_TOKEN for github.com; GH_ENTERPRISE_TOKEN,
# GITHUB_ENTERPRISE_TOKEN for any other host; then `gh auth token`, here a
# fake gh on PATH), --hostname and GH_HOST, no token over plain http to
# another machine without --insecure-http, the 60-requests warning only for
# github.com; and failing fast, leaving no database file, when GitHub cannot
# be reached.
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

TOKEN="ghp_fakeAUTHtoken0123456789SECRET"
printf '%s\n' "$TOKEN" >token.txt
fake_start --seed 3 --issues 30 --profile lean --token-file token.txt
all_err=""

# A fake gh: logged in for 127.0.0.1 only; it notes how it was asked.
mkdir bin
cat >bin/gh <<EOF
#!/bin/sh
echo "\$*" >>"$TEST_DIR/gh.log"
if [ "\$1 \$2 \$3 \$4" = "auth token --hostname 127.0.0.1" ]; then
	echo "$TOKEN"
	exit 0
fi
echo "no oauth token found for \$4" >&2
exit 1
EOF
chmod +x bin/gh

# No variable set: the token comes from gh, asked for the host in use.
before=$(log_count 'True')
GH_PATH= PATH="$TEST_DIR/bin:$PATH" run 0 --db a.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 2 acme/widgets
all_err="$all_err$ERR"
assert_eq "$(log_count "e['i'] >= $before and e['auth'] != 'ok'")" 0
assert_eq "$(cat gh.log)" "auth token --hostname 127.0.0.1"
# GH_ENTERPRISE_TOKEN comes first, GITHUB_ENTERPRISE_TOKEN next; gh is not asked then.
before=$(log_count 'True')
GH_PATH= PATH="$TEST_DIR/bin:$PATH" GH_ENTERPRISE_TOKEN=ghp_wrong GITHUB_ENTERPRISE_TOKEN="$TOKEN" \
	run 1 --db b.db fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
assert_contains "$ERR" "(check the token from GH_ENTERPRISE_TOKEN)"
GH_PATH= PATH="$TEST_DIR/bin:$PATH" GITHUB_ENTERPRISE_TOKEN="$TOKEN" \
	run 0 --db b.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 2 acme/widgets
assert_eq "$(wc -l <gh.log)" 1
# A github.com token never goes to another host: nothing is sent, and a warning says why.
before=$(log_count 'True')
GH_TOKEN="$TOKEN" GITHUB_TOKEN="$TOKEN" run 0 --db c.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 2 acme/widgets
assert_eq "$(log_count "e['i'] >= $before and e['auth'] != 'none'")" 0
assert_contains "$ERR" "warning: GH_TOKEN is only sent to github.com; for 127.0.0.1 set GH_ENTERPRISE_TOKEN"
assert_not_contains "$ERR" "60 unauthenticated"
# No token at all for a host that is not github.com: quiet.
run 0 --db d.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 2 acme/widgets
assert_eq "$ERR" ""

# github.com without a token: the 60-requests warning, once. (A proxy on port
# 9 that refuses keeps the test off the network.)
https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 run 1 --db e.db fetch --api rest -q acme/widgets
assert_eq "$(printf '%s\n' "$ERR" | grep -c 'GitHub allows 60 unauthenticated requests an hour')" 1
assert_contains "$ERR" "issuemine: fetch acme/widgets: repository acme/widgets: "
[ ! -e e.db ] || fail "a fetch that reached nothing left e.db"
# ...and for github.com, gh is asked for github.com's token.
: >gh.log
GH_PATH="$TEST_DIR/bin/gh" https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
	run 1 --db e.db fetch --api rest -q --hostname github.com acme/widgets
assert_eq "$(cat gh.log)" "auth token --hostname github.com"

# --hostname and GH_HOST stand for https://HOST/api/v3, and choose the token's host.
: >gh.log
started=$(date +%s%N)
GH_PATH="$TEST_DIR/bin/gh" run 1 --db f.db fetch --api rest -q --hostname ghe.invalid acme/widgets
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
one_line "$ERR"
assert_contains "$ERR" "ghe.invalid"
assert_eq "$(cat gh.log)" "auth token --hostname ghe.invalid"
# A name that does not resolve fails at once (two tries), and leaves no database file.
assert_contains "$ERR" "(gave up after 2 tries)"
[ "$elapsed_ms" -lt 15000 ] || fail "an unresolvable host took $elapsed_ms ms to fail"
[ ! -e f.db ] || fail "a fetch that reached nothing left f.db"
: >gh.log
GH_HOST=ghe2.invalid GH_PATH="$TEST_DIR/bin/gh" run 1 --db f.db fetch --api rest -q acme/widgets
assert_contains "$ERR" "ghe2.invalid"
assert_eq "$(cat gh.log)" "auth token --hostname ghe2.invalid"
# --api-url wins over GH_HOST; --hostname and --api-url together are a usage error.
GH_HOST=ghe2.invalid run 0 --db g.db fetch --api rest -q --api-url "$FAKE_URL" --max-issues 1 acme/widgets
run 2 fetch --api rest --hostname ghe.invalid --api-url "$FAKE_URL" acme/widgets
assert_contains "$ERR" "--api-url and --hostname"
run 2 fetch --api rest --hostname 'ghe.example.com/api' acme/widgets
assert_contains "$ERR" "is not a host name"

# A refused connection fails at once too.
started=$(date +%s%N)
run 1 --db h.db fetch --api rest -q --api-url http://127.0.0.1:9 acme/widgets
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
[ "$elapsed_ms" -lt 15000 ] || fail "a refused connection took $elapsed_ms ms to fail"
assert_contains "$ERR" "(gave up after 2 tries)"
[ ! -e h.db ] || fail "a fetch that reached nothing left h.db"

# No token over plain http to another machine, decided on the parsed host:
# prefixes that look local do not count; user info that looks like a host is
# refused before that, as any user info in --api-url is.
export GH_ENTERPRISE_TOKEN="$TOKEN"
run 2 --db i.db fetch --api rest -q --api-url 'http://localhost:1@192.0.2.1:9' acme/widgets
assert_contains "$ERR" "--api-url holds a user name or password"
[ ! -e i.db ] || fail "a refused --api-url left i.db"
for url in http://0.0.0.0:9 http://192.0.2.1:9 http://localhost.example.invalid \
	http://127.example.invalid; do
	run 1 --db i.db fetch --api rest -q --api-url "$url" acme/widgets
	one_line "$ERR"
	assert_contains "$ERR" "issuemine: fetch acme/widgets: --api-url $url is plain http to another machine: the token (GH_ENTERPRISE_TOKEN) would cross the network unencrypted; use https, or --insecure-http"
	[ ! -e i.db ] || fail "a refused --api-url $url left i.db"
	all_err="$all_err$ERR"
done
# --insecure-http sends it anyway, with a warning.
run 1 --db i.db fetch --api rest -q --insecure-http --api-url http://0.0.0.0:9 acme/widgets
assert_contains "$ERR" "warning: --api-url http://0.0.0.0:9 is plain http: the token (GH_ENTERPRISE_TOKEN) crosses the network unencrypted"
all_err="$all_err$ERR"
# Loopback addresses are this machine: no refusal, no warning.
run 0 --db j.db fetch --api rest -q --api-url "${FAKE_URL/127.0.0.1/localhost}" --max-issues 1 acme/widgets
assert_eq "$ERR" ""
# Without a token nothing is at stake over plain http.
GH_ENTERPRISE_TOKEN= run 1 --db k.db fetch --api rest -q --api-url http://0.0.0.0:9 acme/widgets
assert_not_contains "$ERR" "plain http"

# The token was never written anywhere.
for f in "$TEST_DIR"/*.db*; do
	if grep -q "$TOKEN" "$f"; then fail "the token is in $f"; fi
done
assert_not_contains "$all_err" "$TOKEN"
if grep -q "$TOKEN" "$FAKE_LOG"; then fail "the token is in the server log"; fi
