# fixes_bench.sh - a smoke run of bench/fixes (small samples, no latency), so the
# benchmark keeps working; the real run is bench/fixes/run.sh, by hand.
. "$(dirname "$0")/lib.sh"

out=$(python3 "$ISSUEMINE_SRC/bench/fixes/compare.py" --issuemine "$ISSUEMINE" --issues 160 --sizes 40,80 --latency 0 --seed 2)
assert_contains "$out" "| sample | issuemine requests | fewest possible |"
# issuemine makes the fewest requests the endpoints allow and gets every file.
for size in 40 80; do
	row=$(printf '%s\n' "$out" | grep "^| $size |")
	assert_contains "$row" "| 1.00 |" "requests vs the fewest, sample of $size"
	assert_contains "$row" "(100.0%) |" "files obtained, sample of $size"
done
