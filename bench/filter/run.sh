#!/usr/bin/env bash
# run.sh - the filter benchmark: 100,000 issues and 5,000,000 timeline events,
# the ONNX query by "issuemine filter --count" against the reference approach
# (a Python loop over the JSON dump). Everything generated goes to bench/out/
# (git-ignored, about 3.5 GB). Environment: ISSUES, EVENTS (sizes), RUNS
# (timed runs per side, default 3), ISSUEMINE (a built binary; default: an
# optimised build in build-bench/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ISSUES=${ISSUES:-100000}
EVENTS=${EVENTS:-5000000}
OUT=bench/out/filter
mkdir -p "$OUT"
DUMP="$OUT/dump-$ISSUES-$EVENTS.jsonl"
DB="$OUT/bench-$ISSUES-$EVENTS.db"

if [ -z "${ISSUEMINE:-}" ]; then
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j2 --target issuemine >/dev/null
	ISSUEMINE=$PWD/build-bench/issuemine
fi
if [ ! -s "$DUMP" ]; then
	echo "generating $DUMP ($ISSUES issues, $EVENTS events)..." >&2
	python3 bench/filter/generate.py "$DUMP.tmp" --issues "$ISSUES" --events "$EVENTS"
	mv "$DUMP.tmp" "$DUMP"
fi
if [ ! -s "$DB" ]; then
	echo "importing into $DB..." >&2
	rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
	start=$SECONDS
	ISSUEMINE_DB="$DB.tmp" "$ISSUEMINE" import --quiet "$DUMP" >&2
	mv "$DB.tmp" "$DB"
	echo "import took $((SECONDS - start)) s (once; not part of the comparison)" >&2
fi
echo "dump: $(du -h "$DUMP" | cut -f1), database: $(du -h "$DB" | cut -f1)"
python3 bench/filter/measure.py "$ISSUEMINE" "$DB" "$DUMP"
