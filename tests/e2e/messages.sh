# messages.sh - errors that used to be vague say in one line what and where:
# --db without a value or naming a directory, an issue number in a dump that
# is not a whole number, a pattern that fails on one issue.
. "$(dirname "$0")/lib.sh"

# --db without a value, before the command and after it.
run 2 --db
one_line "$(printf '%s\n' "$ERR" | head -1)"
assert_contains "$ERR" "issuemine: --db needs a value (PATH, the database file)"
run 2 stats --db
assert_contains "$ERR" "issuemine stats: --db needs a value (PATH)"

# --db naming a directory.
mkdir dir
for args in "--db dir stats" "stats --db dir" "--db dir/ import $DATA/dump-small.json"; do
	# shellcheck disable=SC2086
	run 1 $args
	one_line "$ERR"
	assert_contains "$ERR" "is a directory, not a database file (e.g. --db dir/issuemine.db)"
done
ISSUEMINE_DB=dir run 1 sql 'SELECT 1'
assert_eq "$ERR" "issuemine: dir: is a directory, not a database file (e.g. --db dir/issuemine.db)"
assert_eq "$(ls -A dir)" "" "the directory was left alone"

# A database in a directory that does not exist.
run 1 --db nowhere/x.db import "$DATA/dump-small.json"
assert_eq "$ERR" "issuemine: nowhere/x.db: cannot create the database: directory nowhere: No such file or directory"

# An issue number in a dump that is not a whole number names what it is.
number_error() {
	printf '[{"number": %s, "repository_url": "https://api.github.com/repos/a/b", "title": "t"}]' "$1" >n.json
	run 1 import n.json
	one_line "$ERR"
	assert_eq "$ERR" "issuemine: n.json: issue 1: \"number\" is $2, not a positive whole number (nothing of this file was imported)"
}
number_error '"12"' 'a string ("12")'
number_error '12.5' 'a fraction (12.5)'
number_error 'null' 'null'
number_error '[1]' 'an array ([1])'
number_error '-4' 'a number (-4)'
printf '[{"repository_url": "https://api.github.com/repos/a/b"}]' >n.json
run 1 import n.json
assert_contains "$ERR" 'issue 1: issue object without a "number"'

# A pattern that PCRE2 gives up on names the issue it failed on.
python3 - <<'PY'
import json
def issue(n, body):
    return {"url": "https://api.github.com/repos/o/r/issues/%d" % n,
            "repository_url": "https://api.github.com/repos/o/r",
            "html_url": "https://github.com/o/r/issues/%d" % n, "number": n, "title": "t",
            "state": "closed", "created_at": "2021-01-01T00:00:00Z",
            "updated_at": "2021-01-01T00:00:00Z", "body": body, "labels": []}
json.dump([issue(1, "fine"), issue(7, "a" * 40 + "!")], open("re.json", "w"))
PY
run 0 import -q re.json
run 1 filter 'body:/(a+)+$/'
one_line "$ERR"
assert_contains "$ERR" "regexp /(a+)+\$/ on o/r#7: match limit exceeded"
printf 'issue,relevant\no/r#1,1\no/r#7,0\n' >truth.csv
run 1 validate 'body:/(a+)+$/' --truth truth.csv
assert_contains "$ERR" "on o/r#7: match limit exceeded"
