# docs.sh - the docs and the code agree: README.md and issuemine.1 name every
# command that "issuemine help" lists, and every subcommand and option each
# command accepts (as "issuemine __complete" reports them, from the commands'
# own option tables) appears in the command's --help, in its issuemine.1
# section (with its choices, --format text|json) and in README.md; no option
# the docs name is unknown to the code;
# every query term and is: word the parser names is in QUERY LANGUAGE, every
# environment variable the code reads in ENVIRONMENT;
# docs/schema.md describes every table and column of a new database.
. "$(dirname "$0")/lib.sh"

MAN=$(sed 's/\\-/-/g' "$ISSUEMINE_SRC/issuemine.1")
README=$(cat "$ISSUEMINE_SRC/README.md")

# man_section C: the issuemine.1 sections whose title starts "issuemine C".
man_section() {
	printf '%s\n' "$MAN" | awk -v c="$1" '
		/^\.S[HS] / { on = index($0, ".SS \"issuemine " c " ") == 1 || $0 == ".SS \"issuemine " c "\"" }
		on'
}

# names TEXT OPTION: TEXT names OPTION (or, for a flag, its --no- form) as a whole word.
names() {
	local re="(^|[^a-z0-9-])--(no-)?${2#--}([^a-z0-9-]|$)"
	[[ $1 =~ $re ]]
}

# options WORDS...: the options a command (or subcommand) accepts, but --db and --help.
options() {
	im __complete -- "$@" -- | grep -v -e '^--db$' -e '^--help$' || true
}

# subcommands C: the subcommands completion offers for C (none for help).
subcommands() {
	[ "$1" = help ] || im __complete -- "$1" '' | grep -v '^:' || true
}

# The global options: in the man page's OPTIONS and in README.md.
options_section=$(printf '%s\n' "$MAN" | awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 } on')
for o in --db --help --version; do
	names "$options_section" "$o" || fail "issuemine.1's OPTIONS does not describe $o"
	names "$README" "$o" || fail "README.md does not mention the global option $o"
done
run 0 --version
assert_contains "$OUT" "issuemine "

run 0 help
commands=$(printf '%s\n' "$OUT" | sed -n 's/^    \([a-z]*\)  .*/\1/p')
[ -n "$commands" ] || fail "no commands found in 'issuemine help'"
accepted="--db --help --version"
for c in $commands; do
	grep -q "^\.SS \"issuemine $c" "$ISSUEMINE_SRC/issuemine.1" || fail "issuemine.1 has no section for '$c'"
	grep -q "| \`$c" "$ISSUEMINE_SRC/README.md" || fail "README.md's command table lacks '$c'"
	section=$(man_section "$c")
	titles=$(printf '%s\n' "$section" | grep '^\.SS')
	row=$(printf '%s\n' "$README" | grep "^| \`$c[ \`]")
	subs=$(subcommands "$c")
	for s in $subs; do
		assert_contains "$titles" " $s" "issuemine.1's titles for '$c'"
		assert_contains "$row" "$s" "README.md's rows for '$c'"
	done
	for words in "$c" ${subs:+$(printf "$c:%s\n" $subs)}; do
		read -r -a w <<<"${words/:/ }"
		run 0 "${w[@]}" --help
		helptext=$OUT
		for o in $(options "${w[@]}"); do
			accepted="$accepted $o"
			names "$helptext" "$o" || fail "'issuemine ${w[*]} --help' does not mention $o"
			names "$section" "$o" || fail "issuemine.1's section for '$c' does not document ${w[*]} $o"
			names "$README" "$o" || fail "README.md does not mention ${w[*]} $o"
		done
		# The choices of an option (--format text|json) are in the command's section.
		while read -r o choices; do
			for v in ${choices//|/ }; do
				[[ $section == *"$v"* ]] || fail "issuemine.1's section for '$c' does not name $o $v"
			done
		done < <(sed -n 's/^    \(--[a-z-]*\) \([a-z0-9-]*\(|[a-z0-9-]*\)\{1,\}\)\( .*\)\{0,1\}$/\1 \2/p' <<<"$helptext")
	done
done

# Every term the query parser knows (as its error for an unknown one lists
# them) is one it takes, and the manual's QUERY LANGUAGE describes it; the
# same for the words after is:.
language=$(printf '%s\n' "$MAN" | awk '/^\.SH "QUERY LANGUAGE"/ { on = 1; next } /^\.SH / { on = 0 } on')
run 1 filter --explain 'nosuchterm:1'
terms=$(sed -n 's/.*(expected \(.*\); quote .*/\1/p' <<<"$ERR" | sed 's/,//g; s/ or / /')
[ -n "$terms" ] || fail "no terms in the error for an unknown term: $ERR"
for t in $terms; do
	[[ $language == *"$t"* ]] || fail "issuemine.1's QUERY LANGUAGE does not describe $t"
	err=$(im filter --explain "${t}1" 2>&1 >/dev/null || true)
	assert_not_contains "$err" "unknown term" "filter --explain ${t}1"
done
run 1 filter --explain 'is:nosuchthing'
words=$(sed -n 's/.*expected \(.*\) after is:.*/\1/p' <<<"$ERR" | sed 's/,//g; s/ or / /')
[ -n "$words" ] || fail "no words in the error for is:nosuchthing: $ERR"
for w in $words; do
	[[ $language == *"is:$w"* ]] || fail "issuemine.1's QUERY LANGUAGE does not describe is:$w"
	run 0 filter --explain "is:$w"
done

# Every environment variable the code reads is in ENVIRONMENT (but the
# terminal's and the temporary directory's, which are everyone's).
environment=$(printf '%s\n' "$MAN" | awk '/^\.SH ENVIRONMENT/ { on = 1; next } /^\.SH / { on = 0 } on')
for v in $(cat "$ISSUEMINE_SRC"/src/*/*.c "$ISSUEMINE_SRC"/src/*.c "$ISSUEMINE_SRC"/tui/*.c \
	"$ISSUEMINE_SRC"/exports/*.c | grep -oE 'getenv\("[A-Z_]+"\)' | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
	case $v in TERM | TMPDIR) continue ;; esac
	[[ $environment == *"$v"* ]] || fail "issuemine.1's ENVIRONMENT does not describe \$$v"
done

# Every option the docs name is one some command accepts (or belongs to cmake,
# ctest or git in the build instructions).
others="--build --install --test-dir --output-on-failure --name-only"
for f in issuemine.1 README.md docs/*.md; do
	for o in $(sed 's/\\-/-/g' "$ISSUEMINE_SRC/$f" | grep -o -- '--[a-z][a-z0-9-]*[a-z0-9]' | sort -u); do
		case " $accepted $others " in
		*" $o "* | *" --${o#--no-} "*) ;;
		*) fail "$f documents $o, which no command accepts" ;;
		esac
	done
done

# docs/schema.md describes the schema version a new database has, and every
# table and column in it.
run 0 import --quiet "$DATA/dump-small.json"
schema="$ISSUEMINE_SRC/docs/schema.md"
version=$(q "PRAGMA user_version")
tr '\n' ' ' <"$schema" | grep -q "this document describes version $version)" ||
	fail "docs/schema.md does not say it describes version $version"
described=$(cat "$schema")
q "SELECT m.name || ' ' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
   WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'" >columns
while read -r t col; do
	[[ $described == *"**$t**"* ]] || fail "docs/schema.md does not describe table $t"
	[[ $described == *"\`$col\`"* ]] || fail "docs/schema.md does not name column $t.$col"
done <columns

if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -man -Tutf8 -ww -z "$ISSUEMINE_SRC/issuemine.1" 2>&1)
	assert_eq "$warnings" "" "groff warnings for issuemine.1"
fi
