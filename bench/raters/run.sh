#!/usr/bin/env bash
# run.sh - builds an optimised issuemine (build/) and compares "issuemine code
# --with" with a script's way of running an automatic rater: 10,000 issues
# through a trivial rater with -j 1 and -j 4, wall time and overhead per
# issue. Extra arguments go to compare.py (--issues, --events, --jobs, --seed).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/bootstrap"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j"$(nproc)" >/dev/null
exec python3 "$root/bench/raters/compare.py" --issuemine "$root/build/issuemine" "$@"
