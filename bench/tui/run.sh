#!/usr/bin/env bash
# run.sh - the labeling-UI benchmark: a sample of 10,000 issues with long
# timelines (20 to 80 events, every hundredth issue 600), 3,700 of them
# already coded. Measures "issuemine label" from start to its first screen
# and from a key to the next issue's screen (headless, and in tmux), against
# the reference approach of reading the whole sample into memory first.
# Everything generated goes to bench/out/tui/ (git-ignored, about 700 MB).
# Environment: ISSUES (default 10000), RUNS (default 5), NEXT (keys per
# run, default 100), ISSUEMINE (a built binary; default: an optimised build
# in build-bench/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ISSUES=${ISSUES:-10000}
OUT=bench/out/tui
mkdir -p "$OUT"
DUMP="$OUT/dump-$ISSUES.jsonl"
DB="$OUT/bench-$ISSUES.db"

if [ -z "${ISSUEMINE:-}" ]; then
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j2 --target issuemine >/dev/null
	ISSUEMINE=$PWD/build-bench/issuemine
fi
if [ ! -s "$DUMP" ]; then
	echo "generating $DUMP ($ISSUES issues)..." >&2
	python3 bench/tui/generate.py "$DUMP.tmp" --issues "$ISSUES"
	mv "$DUMP.tmp" "$DUMP"
fi
if [ ! -s "$DB" ]; then
	echo "importing into $DB and making the sample..." >&2
	rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
	ISSUEMINE_DB="$DB.tmp" "$ISSUEMINE" import --quiet "$DUMP" >&2
	first=$(python3 -c 'import json,sys; i=json.loads(open(sys.argv[1]).readline()); print(i["html_url"])' "$DUMP")
	ISSUEMINE_DB="$DB.tmp" "$ISSUEMINE" code --sample big --rater alice --add-to-sample \
		"$first" --note "" >/dev/null
	python3 bench/tui/make_sample.py "$DB.tmp" big alice $((ISSUES * 37 / 100))
	mv "$DB.tmp" "$DB"
fi
echo "dump: $(du -h "$DUMP" | cut -f1), database: $(du -h "$DB" | cut -f1), $ISSUES issues"
python3 bench/tui/measure.py "$ISSUEMINE" "$DB" big alice
