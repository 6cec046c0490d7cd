# numbers.sh - out-of-range numbers are refused wherever a number is read
# (issue references, options, CSV fields, queries), never saturated:
# #99999999999999999999 used to become #9223372036854775807.
. "$(dirname "$0")/lib.sh"

BIG=99999999999999999999
MAX=9223372036854775807
run 0 import -q "$DATA/dump-small.json"
run 0 filter is:closed --save closed

# Issue references, as arguments and in URLs.
for ref in "pytorch/pytorch#$BIG" "https://github.com/pytorch/pytorch/issues/$BIG"; do
	run 2 code --sample s --rater r --add-to-sample "$ref" symptom=crash
	assert_contains "$ERR" "'$ref': the issue number is out of range (1 to $MAX)"
done
run 2 code --sample s --rater r --add-to-sample "pytorch/pytorch#0" symptom=crash
assert_contains "$ERR" "out of range (1 to $MAX)"
run 2 code --sample s --rater r --add-to-sample "pytorch/pytorch#12x" symptom=crash
assert_contains "$ERR" "'pytorch/pytorch#12x' is not owner/name#N or a GitHub issue URL"

# Options.
run 2 sample --from closed --n "$BIG" --seed 1
assert_contains "$ERR" "--n: '$BIG' is out of range"
run 2 sample --from closed --per-repo "$BIG" --seed 1
assert_contains "$ERR" "--per-repo: '$BIG' is out of range"
run 2 sample --from closed --n 2 --seed "$BIG"
assert_contains "$ERR" "--seed: '$BIG' is not a whole number from 0 to $MAX"
run 2 fetch o/r --max-issues "$BIG"
assert_contains "$ERR" "--max-issues: '$BIG' is out of range"
run 2 report --sample closed --top "$BIG"
assert_contains "$ERR" "--top: '$BIG' is out of range"
run 2 sample --from closed --n 1x --seed 1
assert_contains "$ERR" "--n: '1x' is not a whole number"
run 2 sample --from closed --n ' 2' --seed 1
assert_contains "$ERR" "--n: ' 2' is not a whole number"

# CSV fields: the codes file, the truth file, a release series.
printf 'issue,rater,dimension,category\npytorch/pytorch#%s,alice,symptom,crash\n' "$BIG" >codes.csv
run 1 codes import codes.csv --sample closed
assert_contains "$ERR" "line 2: issue 'pytorch/pytorch#$BIG': the issue number is out of range"
printf 'issue,relevant\npytorch/pytorch#%s,1\n' "$BIG" >truth.csv
run 1 validate is:closed --truth truth.csv
assert_eq "$ERR" "issuemine: truth.csv: line 2: issue: 'pytorch/pytorch#$BIG': the issue number is out of range (1 to $MAX)"
printf 'version,date,added,updated\n1,2020-01-01,%s,0\n2,2020-02-01,1000000000,0\n' "$BIG" >rel.csv
run 1 releases import big rel.csv
assert_contains "$ERR" "line 2: added '$BIG' is out of range (0 to 999999999)"
assert_contains "$ERR" "line 3: added '1000000000' is out of range (0 to 999999999)"

# Counts in a query.
run 1 filter "comments:>$BIG"
assert_contains "$ERR" "line 1, column 11: the count '$BIG' is out of range (0 to $MAX)"
run 1 filter "events:1..$BIG"
assert_contains "$ERR" "out of range"
run 0 filter "events:>=$MAX" --count
assert_eq "$OUT" 0

# An issue number in a dump too big for any integer.
printf '[{"number": %s, "repository_url": "https://api.github.com/repos/a/b"}]' "$BIG" >big.json
run 1 import big.json
one_line "$ERR"
assert_contains "$ERR" "too big integer"
