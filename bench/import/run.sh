#!/usr/bin/env bash
# bench/import/run.sh - "issuemine import" of JSON dumps of growing size, beside
# the reference study's json.load of the same file: wall time and peak memory.
# issuemine streams one issue at a time, so its memory should stay flat.
#
#   bench/import/run.sh                 sizes "10000:500000 100000:5000000" (issues:events)
#   SIZES="2000:100000" bench/import/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/bench/out/import"
mkdir -p "$out"
"$here/scripts/bootstrap"
cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build-bench" -j"$(nproc)" >/dev/null
issuemine="$here/build-bench/issuemine"
SIZES=${SIZES:-"10000:500000 100000:5000000"}

# peak KiB and seconds of a command, from GNU time
measure() {
	/usr/bin/time -f '%M %e' -o "$out/time.txt" "$@" >/dev/null
	cat "$out/time.txt"
}

printf '%-18s %9s %12s %12s %14s %14s %8s\n' "dump" "MB" "issuemine s" "reference s" \
	"issuemine MiB" "reference MiB" "memory"
for size in $SIZES; do
	issues=${size%%:*} events=${size##*:}
	jsonl="$out/dump-$issues-$events.jsonl"
	dump="$out/dump-$issues-$events.json"
	[ -s "$jsonl" ] || python3 "$here/bench/filter/generate.py" "$jsonl" --issues "$issues" \
		--events "$events" >/dev/null
	# The study's scripts wrote one JSON array; make one from the lines.
	[ -s "$dump" ] || { echo '['; sed '$!s/$/,/' "$jsonl"; echo ']'; } >"$dump"
	rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
	read -r im_kb im_s < <(measure "$issuemine" --db "$out/bench.db" import -q "$dump")
	read -r ref_kb ref_s < <(measure python3 "$here/bench/import/reference.py" "$dump")
	mb=$(($(stat -c %s "$dump") / 1000000))
	printf '%-18s %9d %12s %12s %14d %14d %7.0fx\n' "$issues/$events" "$mb" "$im_s" "$ref_s" \
		$((im_kb / 1024)) $((ref_kb / 1024)) "$(awk "BEGIN { print $ref_kb / $im_kb }")"
done
