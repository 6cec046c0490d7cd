# bash completion for issuemine (installed as .../bash-completion/completions/issuemine).
#
# It asks issuemine itself: "issuemine __complete -- WORDS... CURRENT" prints
# the candidates (commands and options from issuemine's own tables; sets,
# raters, taxonomies, queries and release series from the database), or
# ":files" for a file name. Nothing is listed here, so new commands and
# options complete as soon as issuemine knows them.

_issuemine() {
	local cur words cword
	if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
		# Keep "--format=json" and "owner/name#1" whole.
		_get_comp_words_by_ref -n =: cur words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
	fi
	local out
	out=$("${words[0]}" __complete -- "${words[@]:1:cword-1}" "$cur" 2>/dev/null) || return 0
	if [ "$out" = ":files" ]; then
		local prefix="" file=$cur
		if [[ $cur == --*=* ]]; then
			prefix=${cur%%=*}=
			file=${cur#*=}
		fi
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$file"))
		COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		compopt -o filenames 2>/dev/null
		return 0
	fi
	local IFS=$'\n'
	COMPREPLY=($out)
	# An option that takes a value, alone, wants no space after "=".
	if [ ${#COMPREPLY[@]} -eq 1 ] && [[ ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
	if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
		__ltrim_colon_completions "$cur"
	fi
	return 0
}
complete -F _issuemine issuemine
