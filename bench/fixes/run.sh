#!/usr/bin/env bash
# run.sh - builds an optimised issuemine (build/) and compares "issuemine fixes
# fetch" with a straightforward script's approach against the fake GitHub:
# samples of 250, 500 and 1,000 issues, 20 ms per request. Extra arguments go
# to compare.py (--issues, --sizes, --latency, --seed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/bootstrap"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" >/dev/null
exec python3 "$root/bench/fixes/compare.py" --issuemine "$root/build/issuemine" "$@"
