# fetch_bench.sh - a smoke run of bench/fetch (tiny corpus, no latency), so the
# benchmark keeps working; the real run is bench/fetch/run.sh, by hand.
. "$(dirname "$0")/lib.sh"

out=$(python3 "$ISSUEMINE_SRC/bench/fetch/compare.py" --issuemine "$ISSUEMINE" --issues 60 --latency 0 --seed 2)
assert_contains "$out" "| requests |"
assert_contains "$out" "| rate-limit points |"
assert_contains "$out" "| peak memory (MiB) |"
# issuemine gets every event, over both APIs; the reference approach stops at 100 per issue.
assert_contains "$out" "| share of the server's events | 100.0% | 100.0% |"
assert_contains "$out" "the same rows"
