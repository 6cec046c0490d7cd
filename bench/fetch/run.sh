#!/usr/bin/env bash
# run.sh - builds an optimised issuemine (build/) and compares "issuemine fetch"
# with the reference study's approach against the fake GitHub: 2,000 issues,
# 50 ms per request. Extra arguments go to compare.py (--issues, --latency, --seed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/bootstrap"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" >/dev/null
exec python3 "$root/bench/fetch/compare.py" --issuemine "$root/build/issuemine" "$@"
