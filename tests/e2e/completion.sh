# completion.sh - shell completion: what "issuemine __complete" offers (commands
# and options from issuemine's own tables, names from the database), the bash
# script driven as bash drives it, the zsh script in a real zsh in tmux, and
# both installed by "cmake --install".
. "$(dirname "$0")/lib.sh"

# comp WORDS... CURRENT: the candidates, one per line, sorted.
comp() {
	"${WRAPPER[@]}" "$ISSUEMINE" __complete -- "$@" | sort
}

# Completing before any database exists creates none.
assert_eq "$(comp stats --f)" "--format"
[ ! -e "$ISSUEMINE_DB" ] || fail "completion created the database"

# Commands come from the command table: every command help lists, and no hidden one.
run 0 help
listed=$(printf '%s\n' "$OUT" | sed -n 's/^    \([a-z][a-z-]*\)  .*/\1/p' | sort)
assert_eq "$(comp '')" "$listed" "commands offered"
assert_eq "$(comp fil)" "filter"
assert_contains "$(comp f)" "$(printf 'fetch\nfilter')"
assert_not_contains "$(comp '')" "__complete"
assert_eq "$(comp --d)" "--db"
assert_eq "$(comp --db x.db rep)" "report"

# Options come from each command's own table: exactly what its --help lists.
for c in $listed; do
	run 0 "$c" --help
	want=$(printf '%s\n' "$OUT" | sed -n 's/^    \(-., \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u)
	assert_eq "$(comp "$c" --)" "$want" "options of $c"
done
# A subcommand's own options ("codes import" has --create-missing, "codes export" --rater).
assert_contains "$(comp codes import --)" "--create-missing"
assert_not_contains "$(comp codes import --)" "--rater"
assert_contains "$(comp codes export --)" "--rater"

# Subcommands and choices, from the usage lines and the option tables.
assert_eq "$(comp taxonomy '')" "$(printf 'diff\nhistory\nlist\nload\nshow')"
assert_eq "$(comp codes '')" "$(printf 'export\nimport')" "subcommands, each once"
assert_eq "$(comp sets --format '')" "$(printf 'csv\njson\ntable')"
assert_eq "$(comp report --format=l)" "--format=latex"
assert_eq "$(comp agree --level s)" "sub"
assert_eq "$(comp help rec)" "reconcile"

# Files where a file is wanted.
assert_eq "$(comp import '')" ":files"
assert_eq "$(comp report --output '')" ":files"
assert_eq "$(comp --db '')" ":files"
assert_eq "$(comp taxonomy load '')" ":files"

# Names from the database: sets, samples, raters, taxonomies, queries, release series, repositories.
run 0 import -q "$DATA/filter-corpus.json"
run 0 filter --query onnx-converters --save relevant
run 0 sample --from relevant --n 3 --seed 1 --save study
run 0 code --sample study --rater alice pytorch/pytorch#3 symptom=crash
run 0 code --sample study --rater bob pytorch/pytorch#3 symptom=hang
printf '{"name": "mini", "dimensions": [{"key": "kind", "name": "Kind", "categories": [{"key": "bug", "name": "Bug"}]}]}' >mini.json
run 0 taxonomy load mini.json
printf 'version,date,added,updated\n1,2020-01-01,1,1\n' >r.csv
run 0 releases import mine r.csv
assert_eq "$(comp sample --from '')" "$(printf 'relevant\nstudy')"
assert_eq "$(comp label --sample '')" "study" "--sample offers samples"
assert_eq "$(comp agree --sample study --raters '')" "$(printf 'alice\nbob')"
assert_eq "$(comp agree --sample study --raters alice,b)" "alice,bob"
assert_eq "$(comp reconcile --as '')" "$(printf 'alice\nbob')"
assert_eq "$(comp code --taxonomy '')" "$(printf 'mini\nonnx-converters')"
assert_eq "$(comp taxonomy show '')" "$(printf 'mini\nonnx-converters')"
assert_eq "$(comp filter --query '')" "$(printf 'onnx-converters\nrelevant')"
assert_eq "$(comp queries show '')" "onnx-converters" "queries show knows shipped queries only"
assert_eq "$(comp report --releases '')" "$(printf 'mine\nonnx-opsets')"
assert_eq "$(comp releases show m)" "mine"
assert_eq "$(comp sets drop '')" "$(printf 'relevant\nstudy')"
assert_eq "$(comp fetch py)" "pytorch/pytorch"
assert_eq "$(comp import --repo o)" "$(printf 'onnx/tensorflow-onnx\nother/thing')"
assert_eq "$(comp code --clear '')" "$(printf 'cause\nkind\nlocation\nsymptom')"
# Another database, named before the command or after it.
run 0 --db other.db import -q "$DATA/dump-small.json"
assert_eq "$(comp --db other.db fetch '')" "$(printf 'onnx/tensorflow-onnx\npytorch/pytorch')"
assert_eq "$(comp fetch --db other.db '')" "$(printf 'onnx/tensorflow-onnx\npytorch/pytorch')"
assert_eq "$(comp fetch --db '')" ":files"
assert_eq "$(comp --db missing.db sample --from '')" ""
[ ! -e missing.db ] || fail "completion created missing.db"

# --describe: descriptions after a tab, for zsh.
run 0 __complete --describe -- fil
assert_eq "$OUT" "$(printf 'filter\tlist, count or save the issues a query matches')"

# The bash script, driven as bash drives it (with bash-completion's helpers when installed).
mkdir bin
ln -s "$ISSUEMINE" bin/issuemine
bash_comp() {
	PATH="$TEST_DIR/bin:$PATH" bash -c '
		[ -r /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
		. "$1/completion/issuemine.bash"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_issuemine issuemine "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$ISSUEMINE_SRC" "$@"
}
assert_eq "$(bash_comp issuemine fil)" "filter"
assert_eq "$(bash_comp issuemine sample --from st)" "study"
assert_eq "$(bash_comp issuemine agree --raters alice,b)" "alice,bob"
assert_eq "$(bash_comp issuemine stats --format=j)" "--format=json"
touch import-me.json
assert_eq "$(bash_comp issuemine import import-)" "import-me.json"

# The zsh script, in an interactive zsh in tmux: type, press Tab, read the screen.
if command -v zsh >/dev/null && command -v tmux >/dev/null; then
	mkdir zdot
	cat >zdot/.zshrc <<EOF
PATH="$TEST_DIR/bin:\$PATH"
fpath=("$ISSUEMINE_SRC/completion" \$fpath)
autoload -Uz compinit && compinit -u -d "$TEST_DIR/zdot/.zcompdump"
PROMPT='zsh> '
EOF
	sock="$TEST_DIR/tmux.sock"
	tmux -S "$sock" new-session -d -x 150 -y 30 "ZDOTDIR=$TEST_DIR/zdot ISSUEMINE_DB=$ISSUEMINE_DB zsh -i"
	trap 'tmux -S "$sock" kill-server 2>/dev/null; cd /; rm -rf "$TEST_DIR"' EXIT
	screen() { tmux -S "$sock" capture-pane -p; }
	# wait_for TEXT: until the screen shows TEXT (10 s at most).
	wait_for() {
		for _ in $(seq 100); do
			screen | grep -qF -- "$1" && return 0
			sleep 0.1
		done
		fail "zsh never showed '$1': $(screen)"
	}
	wait_for "zsh>"
	tmux -S "$sock" send-keys "issuemine sampl" Tab
	wait_for "issuemine sample"
	tmux -S "$sock" send-keys -- "--fr" Tab
	wait_for "issuemine sample --from"
	tmux -S "$sock" send-keys "st" Tab
	wait_for "issuemine sample --from study"
	tmux -S "$sock" send-keys C-u "issuemine f" Tab
	wait_for "list, count or save the issues a query matches"
	tmux -S "$sock" send-keys C-u "issuemine taxonomy show m" Tab
	wait_for "issuemine taxonomy show mini"
fi

# cmake --install puts both scripts where bash-completion and zsh look.
if [ -n "${ISSUEMINE_BUILD:-}" ] && command -v cmake >/dev/null; then
	cmake --install "$ISSUEMINE_BUILD" --prefix "$TEST_DIR/prefix" >/dev/null
	[ -f "$TEST_DIR/prefix/share/bash-completion/completions/issuemine" ] || fail "bash completion not installed"
	[ -f "$TEST_DIR/prefix/share/zsh/site-functions/_issuemine" ] || fail "zsh completion not installed"
	[ -x "$TEST_DIR/prefix/bin/issuemine" ] || fail "binary not installed"
fi
