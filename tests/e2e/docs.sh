# docs.sh - README.md and issuemine.1 name every command that "issuemine help" lists.
. "$(dirname "$0")/lib.sh"

run 0 help
commands=$(printf '%s\n' "$OUT" | sed -n 's/^    \([a-z]*\)  .*/\1/p')
[ -n "$commands" ] || fail "no commands found in 'issuemine help'"
for c in $commands; do
	grep -q "^\.SS \"issuemine $c" "$ISSUEMINE_SRC/issuemine.1" || fail "issuemine.1 has no section for '$c'"
	grep -q "| \`$c" "$ISSUEMINE_SRC/README.md" || fail "README.md's command table lacks '$c'"
	run 0 "$c" --help
done
if command -v groff >/dev/null 2>&1; then
	warnings=$(groff -man -Tutf8 -ww -z "$ISSUEMINE_SRC/issuemine.1" 2>&1)
	assert_eq "$warnings" "" "groff warnings for issuemine.1"
fi
