# termsafe.sh - input echoed to a terminal in text output never carries a
# control character: an escape sequence in an issue title, a taxonomy, a
# release series, a CSV row or a query is written visibly (\x1b, \n...), so a
# message stays one line and nothing can retitle or clear the terminal. CSV
# and JSON keep the data exact.
. "$(dirname "$0")/lib.sh"

ESC=$(printf '\033')
TITLE_SEQ=$(printf '\033]0;pwned\007')  # sets the terminal's title
CLEAR_SEQ=$(printf '\033[2J')           # clears the screen
C1=$(printf '\302\233')                  # U+009B, the one-byte CSI of C1

# raw_controls TEXT: fails if TEXT holds a control character other than newline.
raw_controls() {
	if printf '%s' "$1" | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
		fail "${2:-output} holds a raw control character: $(printf '%s' "$1" | od -c | head -5)"
	fi
	if printf '%s' "$1" | LC_ALL=C grep -q "$(printf '\302[\200-\237]')"; then
		fail "${2:-output} holds a raw C1 control character"
	fi
}

# An issue whose title holds escape sequences, a C1 character and a newline.
python3 - "$TITLE_SEQ" "$CLEAR_SEQ" "$C1" <<'EOF'
import json, sys
title_seq, clear_seq, c1 = sys.argv[1:4]
issue = {
    "url": "https://api.github.com/repos/o/r/issues/1",
    "repository_url": "https://api.github.com/repos/o/r",
    "html_url": "https://github.com/o/r/issues/1", "number": 1,
    "title": "Export " + title_seq + "fails" + clear_seq + "\nsecond line" + c1 + "x",
    "state": "closed", "labels": [{"name": "bug" + clear_seq}],
    "created_at": "2021-01-01T00:00:00Z", "updated_at": "2021-01-02T00:00:00Z",
    "body": "body " + clear_seq,
    "timeline": [{"event": "labeled" + title_seq, "created_at": "2021-01-01T00:00:00Z"}],
}
json.dump([issue], open("dump.json", "w"))
EOF
run 0 import -q dump.json

# stats: an event type is GitHub's text too.
run 0 stats
raw_controls "$OUT" "stats"
assert_contains "$OUT" 'labeled\x1b]0;pwned\x07'

# The filter listing: one line per issue, the sequences shown, not sent.
run 0 filter is:closed
raw_controls "$OUT" "filter listing"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 3 "lines of the listing (header, issue, count)"
assert_contains "$OUT" 'Export \x1b]0;pwned\x07fails\x1b[2J\nsecond line\u009bx'
# CSV and JSON keep the title exact.
run 0 filter is:closed --format json
assert_contains "$OUT" '"title": "Export \u001B]0;pwned\u0007fails\u001B[2J\nsecond line'"$C1"'x"'
run 0 filter is:closed --format csv
assert_contains "$OUT" "Export ${TITLE_SEQ}fails${CLEAR_SEQ}"
run 0 sql --format json "SELECT title FROM issues"
assert_contains "$OUT" '\u001B]0;pwned'
# A set saved from a query with escape sequences: its origin is shown escaped.
run 0 filter --save odd "label:\"bug${CLEAR_SEQ}\""
run 0 sets
raw_controls "$OUT" "sets"
run 0 sets show odd
raw_controls "$OUT" "sets show"
assert_contains "$OUT" 'label:"bug\x1b[2J"'

# A query's syntax error: one line, then the line and the caret, all escaped, the caret in place.
run 1 filter "is:issue label:${CLEAR_SEQ}("
raw_controls "$ERR" "query error"
assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 3 "lines of the query error"
assert_eq "$(printf '%s\n' "$ERR" | sed -n 2p)" '    is:issue label:\x1b[2J('
assert_eq "$(printf '%s\n' "$ERR" | sed -n 3p)" '                       ^' "the caret under '['"
printf 'is:issue\nlabel:"%s\nmore' "$TITLE_SEQ" >bad.query
run 1 filter --query-file bad.query
raw_controls "$ERR" "query file error"
one_line "$(printf '%s\n' "$ERR" | head -1)"

# A taxonomy with escape sequences in its title, a name and a definition.
python3 - "$TITLE_SEQ" "$CLEAR_SEQ" <<'EOF'
import json, sys
t, c = sys.argv[1:3]
json.dump({"name": "odd", "title": "Odd " + t, "description": "About\n" + c,
           "dimensions": [{"key": "symptom", "name": "Kind " + c, "categories": [
               {"key": "bug", "name": "Bug " + t, "definition": "Broken " + c + "\nreally."},
               {"key": "feature", "name": "Feature", "aliases": ["feat" + c]}]}]},
          open("odd.json", "w"))
EOF
run 0 taxonomy load odd.json
raw_controls "$OUT" "taxonomy load"
for f in text markdown; do
	run 0 taxonomy show odd --format $f
	raw_controls "$OUT" "taxonomy show --format $f"
	assert_contains "$OUT" 'Bug \x1b]0;pwned\x07'
done
run 0 taxonomy list
raw_controls "$OUT" "taxonomy list"
run 0 taxonomy show odd --format json
assert_contains "$OUT" 'Bug \u001B]0;pwned\u0007'

# A release series whose versions hold escape sequences.
printf 'version,date,added,updated\nv1%s,2020-01-01,1,2\nv2,2020-02-01,3,4\n' "$CLEAR_SEQ" >rel.csv
run 0 releases import odd rel.csv
run 0 releases show odd
raw_controls "$OUT" "releases show"
assert_contains "$OUT" 'v1\x1b[2J'
run 0 releases show odd --format csv
assert_contains "$OUT" "v1${CLEAR_SEQ},2020-01-01"
# A bad row's message quotes the field escaped, on one line.
printf 'version,date,added,updated\nv1,2020-01-01,1%s\n2,2\n' "$TITLE_SEQ" >bad.csv
run 1 releases import bad bad.csv
raw_controls "$ERR" "releases error"
one_line "$ERR"
assert_contains "$ERR" "added '1\\x1b]0;pwned\\x07' is not a whole number"

# The codes CSV: a bad issue field (a newline and a sequence inside quotes) on its line.
run 0 code --taxonomy odd --sample s --rater alice --add-to-sample o/r#1 symptom=bug
printf 'issue,rater,dimension,category\n"o/r#1\n%s",alice,symptom,bug\n' "$CLEAR_SEQ" >codes.csv
run 1 codes import codes.csv --sample s --taxonomy odd
raw_controls "$ERR" "codes import error"
assert_eq "$(printf '%s\n' "$ERR" | wc -l)" 2 "lines of the codes error (the row, the summary)"
assert_contains "$ERR" "'o/r#1\\n\\x1b[2J' is not owner/name#N"

# validate: a bad truth row in one line.
printf 'issue,relevant\n"o/r#1%s",1\n' "$TITLE_SEQ" >truth.csv
run 1 validate is:closed --truth truth.csv
raw_controls "$ERR" "validate error"
one_line "$ERR"

# The report's text tables: a column label with a sequence in it.
run 0 report --sample s --rater alice --taxonomy odd --table symptoms --label "o/r=OR${CLEAR_SEQ}"
raw_controls "$OUT" "report text"
assert_contains "$OUT" 'OR\x1b[2J'
assert_contains "$OUT" 'Bug \x1b]0;pwned\x07'
run 0 report --sample s --rater alice --taxonomy odd --table symptoms --format csv
assert_contains "$OUT" "Bug ${TITLE_SEQ}"

# agree's text: category names from the taxonomy, escaped and still aligned.
run 0 code --taxonomy odd --sample s --rater bob o/r#1 symptom=bug
run 0 agree --sample s --raters alice,bob --taxonomy odd
raw_controls "$OUT" "agree text"
assert_contains "$OUT" 'Kind \x1b[2J'
assert_contains "$OUT" 'Bug \x1b]0;pwned\x07'

# A usage error quoting an argument stays on its line too.
run 2 filter --format "x${CLEAR_SEQ}"
raw_controls "$ERR" "usage error"
assert_contains "$(printf '%s\n' "$ERR" | head -1)" "'x\\x1b[2J' is not one of"
run 2 "fil${ESC}ter"
raw_controls "$ERR" "unknown command"
