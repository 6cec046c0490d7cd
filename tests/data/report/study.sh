# study.sh - sourced by tests/e2e/report*.sh after lib.sh: builds a coded sample.
#
# make_study SPEC SAMPLE RATER imports a GitHub-shaped dump of the issues of
# SPEC (see study.txt; made by dump.py) and codes each issue with
# "issuemine code --add-to-sample": "-" leaves a dimension uncoded, "none"
# adds the issue to the sample without any code.

make_study() {
	local spec=$1 sample=$2 rater=$3
	python3 "$DATA/report/dump.py" "$spec" >"$TEST_DIR/study-dump.json"
	im import -q "$TEST_DIR/study-dump.json" >/dev/null
	local issue created symptom location cause codes
	while read -r issue created symptom location cause; do
		case "$issue" in '#'* | '') continue ;; esac
		codes=()
		[ "$symptom" = none ] || [ "$symptom" = - ] || codes+=("symptom=$symptom")
		[ -z "$location" ] || [ "$location" = - ] || codes+=("location=$location")
		[ -z "$cause" ] || [ "$cause" = - ] || codes+=("cause=$cause")
		if [ "${#codes[@]}" = 0 ]; then
			# In the sample, but coded in nothing: code one dimension, then clear it.
			im code --sample "$sample" --rater "$rater" --add-to-sample "$issue" symptom=crash >/dev/null
			im code --sample "$sample" --rater "$rater" "$issue" --clear symptom >/dev/null
		else
			im code --sample "$sample" --rater "$rater" --add-to-sample "$issue" "${codes[@]}" >/dev/null
		fi
	done <"$spec"
}
