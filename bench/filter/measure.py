#!/usr/bin/env python3
"""measure.py ISSUEMINE DB DUMP: times the ONNX filter both ways, side by side.

issuemine: "issuemine filter --query onnx-converters --count" on the imported
database, run once to warm the page cache and then RUNS times (the median
is reported, with its peak resident memory). Reference: reference.py on the
JSON dump, the same number of times after one warm-up read. Both must count
the same issues, or the benchmark fails.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("RUNS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))


TIME = "/usr/bin/time"  # GNU time (Debian package "time")


def timed(cmd, env=None):
    """Runs cmd; returns (seconds, peak RSS in MiB, stdout).

    The peak memory comes from GNU time's %M: a child's own ru_maxrss would
    count the Python process it was forked from until the exec.
    """
    if not os.path.exists(TIME):
        sys.exit("measure.py needs GNU time at %s (apt-get install time)" % TIME)
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        proc = subprocess.run([TIME, "-f", "%M", "-o", rss.name] + cmd, stdout=subprocess.PIPE,
                              env=env)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit("failed: %s" % " ".join(cmd))
        return elapsed, int(rss.read().split()[-1]) / 1024.0, proc.stdout.decode().strip()


def series(cmd, env=None):
    timed(cmd, env)  # warm-up: both sides read from the page cache afterwards
    runs = [timed(cmd, env) for _ in range(RUNS)]
    counts = {r[2] for r in runs}
    assert len(counts) == 1, counts
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs), counts.pop())


def main():
    issuemine, db, dump = sys.argv[1:4]
    env = dict(os.environ, ISSUEMINE_DB=db)
    im_time, im_mem, im_count = series(
        [issuemine, "filter", "--query", "onnx-converters", "--count"], env)
    py_time, py_mem, py_count = series([sys.executable, os.path.join(HERE, "reference.py"), dump])
    if im_count != py_count:
        sys.exit("the two sides disagree: issuemine %s, reference %s" % (im_count, py_count))
    print("matching issues: %s (both sides)" % im_count)
    print("%-44s %10s %14s" % ("", "time (s)", "peak RSS (MiB)"))
    print("%-44s %10.3f %14.1f" % ("issuemine filter --count (SQLite)", im_time, im_mem))
    print("%-44s %10.3f %14.1f" % ("reference.py (JSON dump, Python loop)", py_time, py_mem))
    print("ratio (reference / issuemine): %.1fx" % (py_time / im_time))


main()
