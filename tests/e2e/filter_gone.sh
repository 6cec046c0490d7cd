# filter_gone.sh - issues GitHub no longer serves (transferred, deleted) keep
# their rows and match as stored; is:gone finds them, -is:gone leaves them
# out, filter says how many of its matches they are, and a sample drawn from
# a set holding them may draw them (as the man page says).
. "$(dirname "$0")/lib.sh"
. "$ISSUEMINE_SRC/tests/fakegithub/lib.sh"

export GH_ENTERPRISE_TOKEN=ghp_any_token_the_fake_accepts
fake_start --seed 31 --issues 40 --profile lean
run 0 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
n=$(q "SELECT count(*) FROM issues")
set -- $(q "SELECT number FROM issues ORDER BY number LIMIT 2")
moved=$1 deleted=$2
fake_change transfer "$moved"
fake_change delete "$deleted"
run 0 fetch --api rest -q --api-url "$FAKE_URL" acme/widgets
assert_eq "$(q "SELECT count(*) FROM issues WHERE gone IS NOT NULL")" 2

run 0 filter --format csv is:gone
assert_eq "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f2 | sort -n | tr '\n' ' ')" "$moved $deleted "
assert_eq "$ERR" ""
run 0 filter --count -- '-is:gone'
assert_eq "$OUT" $((n - 2))
assert_eq "$ERR" ""
# A query that does not mention them says how many of its matches are gone.
run 0 filter --count 'repo:acme/widgets'
assert_eq "$OUT" "$n"
assert_eq "$ERR" "issuemine: warning: 2 of the matches are gone from GitHub (transferred or deleted; '-is:gone' leaves them out)"
run 0 filter --save all 'repo:acme/widgets'
assert_contains "$ERR" "2 of the matches are gone"
run 0 filter --save kept 'repo:acme/widgets -is:gone'
assert_eq "$ERR" ""
assert_eq "$(q "SELECT count(*) FROM set_members m JOIN sets s ON s.id = m.set_id JOIN issues i ON i.id = m.issue_id WHERE s.name = 'kept' AND i.gone IS NOT NULL")" 0

# Sampling takes the set as it is: all of it holds both gone issues.
run 0 sample --from all --n "$n" --seed 1 --format csv
assert_contains "$OUT" ",$moved,"
assert_contains "$OUT" ",$deleted,"
run 1 filter 'is:vanished'
assert_contains "$ERR" "expected issue, pr, open, closed or gone after is:"
