#!/usr/bin/env bash
# orchain.sh - long OR chains of like terms (label:, repo:): issuemine's IN
# list against the old one-probe-per-term shape, side by side (orchain.py).
# Environment: ISSUES, LENGTHS ("1000 4000 10000"), RUNS, SLOW, LIMIT, ISSUEMINE (a built
# binary; default: an optimised build in build-bench/).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${ISSUEMINE:-}" ]; then
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j2 --target issuemine >/dev/null
	ISSUEMINE=$PWD/build-bench/issuemine
fi
python3 bench/filter/orchain.py "$ISSUEMINE"
