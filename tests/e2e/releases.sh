# releases.sh - "issuemine releases": the built-in series, import, list, show, bad files.
. "$(dirname "$0")/lib.sh"

# The built-in series works without a database, from any directory.
run 0 releases show onnx-opsets
assert_contains "$OUT" "onnx-opsets (builtin): 18 releases, 2017-12-06 .. 2022-12-12"
assert_contains "$OUT" "total                    149      217      366"
[ ! -e "$ISSUEMINE_DB" ] || fail "showing a built-in series created the database"
# Its figures are the reference study's (paper Figure 5), byte for byte.
run 0 releases show --format csv onnx-opsets
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "$(cat "$ISSUEMINE_SRC/queries/onnx-opsets.csv")"
run 0 releases show --format json onnx-opsets
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["releases"]), sum(r["changes"] for r in d["releases"]), d["releases"][12]["version"], d["releases"][12]["updated"])')" "18 366 13 67"
run 0 releases list --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "name,releases,first,last,source
onnx-opsets,18,2017-12-06,2022-12-12,builtin"

# Import: columns in any order, extra columns ignored, a quoted version.
cat >mine.csv <<'EOF'
date,version,notes,added,updated
2020-01-10,"1.0",first,3,0
2020-01-10,1.1,same day,0,2
2020-06-01,2.0,,10,5
EOF
run 0 releases import mine mine.csv
assert_eq "$OUT" "imported release series 'mine': 3 releases, 2020-01-10 .. 2020-06-01"
assert_eq "$(q "SELECT group_concat(version || '@' || date || ':' || added || '+' || updated, ' ') FROM (SELECT * FROM releases ORDER BY position)")" \
	"1.0@2020-01-10:3+0 1.1@2020-01-10:0+2 2.0@2020-06-01:10+5"
run 0 releases show mine --format csv
assert_eq "$(printf '%s\n' "$OUT" | tr -d '\r')" "version,date,added,updated
1.0,2020-01-10,3,0
1.1,2020-01-10,0,2
2.0,2020-06-01,10,5"
# Importing the same name replaces the series.
printf 'version,date,added,updated\nA,2021-01-01,1,1\n' >one.csv
run 0 releases import --format json mine one.csv
assert_contains "$OUT" '"replaced": true'
assert_eq "$(q "SELECT count(*) FROM releases")" 1
# An imported series of a built-in name hides the built-in one.
run 0 releases import onnx-opsets one.csv
run 0 releases list
assert_contains "$OUT" "onnx-opsets         1  2021-01-01  2021-01-01  one.csv (hides the built-in series)"
run 0 releases show onnx-opsets --format json
assert_contains "$OUT" '"source": "one.csv"'

# A bad file: every bad row named with its line, one line, nothing stored.
cat >bad.csv <<'EOF'
version,date,added,updated
1,2018-01-01,1,1
2,2018-13-01,x,2
3,2018-02-30,1,1
,2018-03-01,1,1
1,2018-04-01,1,-4
5,2017-05-01,1,1
6,2019-01-01,7.5,1
7, 2019-02-01 , 7 ,1
EOF
run 1 releases import broken bad.csv
one_line "$ERR"
assert_contains "$ERR" "issuemine: bad.csv: line 3: date '2018-13-01' is not a day (YYYY-MM-DD), added 'x' is not a whole number; "
assert_contains "$ERR" "line 4: date '2018-02-30' is not a day"
assert_contains "$ERR" "line 5: version is empty"
assert_contains "$ERR" "line 6: version '1' repeats line 2, updated '-4' is out of range (0 to 999999999)"
assert_contains "$ERR" "line 7: date 2017-05-01 is before line 2's 2018-01-01 (rows must be in date order)"
assert_contains "$ERR" "line 8: added '7.5' is not a whole number"
assert_not_contains "$ERR" "line 9" "blanks around values are fine"
assert_contains "$ERR" "(nothing imported)"
assert_eq "$(q "SELECT count(*) FROM release_series WHERE name = 'broken'")" 0
# Many bad rows: the message stays one line and counts those it cannot list.
{
	echo version,date,added,updated
	for i in $(seq 1 200); do echo "$i,2018-01-01,x,1"; done
} >many.csv
run 1 releases import many many.csv
one_line "$ERR"
assert_contains "$ERR" "more bad rows (nothing imported)"
# Header and syntax problems.
printf 'version,day,added\n1,2018-01-01,1\n' >header.csv
run 1 releases import h header.csv
assert_eq "$ERR" "issuemine: header.csv: line 1: the header lacks date, updated (expected the columns version,date,added,updated) (nothing imported)"
printf 'version,date,added,updated\n' >empty.csv
run 1 releases import e empty.csv
assert_contains "$ERR" "empty.csv: no releases after the header"
printf 'version,date,added,updated\n"1,2018-01-01,1,1\n' >quote.csv
run 1 releases import q quote.csv
assert_contains "$ERR" "quote.csv: line 2: unterminated quoted field"
# A version too long to keep is refused, not cut.
printf 'version,date,added,updated\n%s,2018-01-01,1,1\n' "$(printf 'v%.0s' $(seq 1 300))" >long.csv
run 1 releases import l long.csv
assert_contains "$ERR" "long.csv: line 2: version 'vvvvvvvvvvvvvvvvvvvv...' is longer than 255 bytes"
run 1 releases import q /nonexistent.csv
assert_contains "$ERR" "/nonexistent.csv: No such file or directory"
run 2 releases import 'bad name' one.csv
run 2 releases import onlyname
run 2 releases frobnicate
run 1 releases show nope
assert_eq "$ERR" "issuemine: no release series 'nope' (known: mine, onnx-opsets; see 'issuemine releases import')"
# Standard input.
run 0 releases import piped - <one.csv
assert_contains "$OUT" "'piped': 1 release,"
