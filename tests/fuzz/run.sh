#!/usr/bin/env bash
# run.sh HARNESS SEEDS SECONDS [CORPUS] - runs one libFuzzer harness for SECONDS
# over the seed directory SEEDS (read, never written). New inputs go to
# CORPUS (default: a temporary directory, removed afterwards); an input that
# crashes, leaks or fails a check is kept as CORPUS/../crash-* or under
# $TMPDIR and named, and the exit status is non-zero.
set -euo pipefail
harness=$1 seeds=$2 seconds=$3 corpus=${4:-}
[ -d "$seeds" ] || { echo "run.sh: no seed directory $seeds" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/issuemine-fuzz-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
if [ -z "$corpus" ]; then
	corpus=$scratch/corpus
	artifacts=${TMPDIR:-/tmp}/issuemine-fuzz-$(basename "$harness")-
else
	artifacts=$(dirname "$corpus")/crash-$(basename "$harness")-
fi
mkdir -p "$corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}:allocator_may_return_null=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
# -timeout: one input taking 10 s is a defect too (a hang); -rss_limit_mb bounds memory.
(cd "$scratch" && "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "$seeds") \
	>"$scratch/log" 2>&1 || status=$?
if [ "$status" != 0 ]; then
	cat "$scratch/log" >&2
	echo "run.sh: $(basename "$harness") failed; the input is kept as $artifacts*" >&2
	exit 1
fi
grep -E 'stat::number_of_executed_units|INITED|DONE' "$scratch/log" | tail -3
