#!/usr/bin/env bash
# fixview.sh - the fix view's benchmark: a fix of 200 changed files and a
# 20,000-line diff, fetched from the fake GitHub, opened in "issuemine label"
# (f, Enter, Enter, then ], / and n), headless and in tmux, against the
# reference approach of rendering the whole diff first (fixview.py says how).
# Generated data goes to bench/out/tui/ (git-ignored). Environment: RUNS
# (default 5), FILES (200), LINES (20000), ISSUEMINE (a built binary;
# default: an optimised build in build-bench/).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out/tui
mkdir -p "$OUT"
if [ -z "${ISSUEMINE:-}" ]; then
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j2 --target issuemine >/dev/null
	ISSUEMINE=$PWD/build-bench/issuemine
fi
exec python3 bench/tui/fixview.py "$ISSUEMINE" "$OUT"
