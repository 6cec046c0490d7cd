#!/usr/bin/env python3
"""orchain.py ISSUEMINE: long OR chains of like terms, compiled as issuemine
compiles them (one IN list) against the shape it compiled before (one
condition per term, ORed in parenthesised runs of about sqrt(n)), side by
side on the same database with the same binary: the old shape is what
ISSUEMINE_QUERY_NO_MERGE=1 (for this benchmark alone) makes.

The database: ISSUES issues (default 1,000) in 20 repositories, each with
one to three of 200 labels. For each chain length N (default 1,000, 4,000
and 10,000) and each kind (label:, repo:, author:), the query ORs N terms of which a
few name labels, repositories or authors that exist; both sides run
"issuemine filter --count --query-file Q" and must count the same issues.
Times are the median of RUNS runs (default 3) after one warm-up run; a side
slower than SLOW seconds (default 10) is run once, and one slower than LIMIT
seconds (default 900) is stopped and shown as "> LIMIT".
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ISSUES = int(os.environ.get("ISSUES", "1000"))
SLOW = float(os.environ.get("SLOW", "10"))
LIMIT = float(os.environ.get("LIMIT", "900"))
RUNS = int(os.environ.get("RUNS", "3"))
LENGTHS = [int(n) for n in os.environ.get("LENGTHS", "1000 4000 10000").split()]


def make_dump(path):
    items = []
    for n in range(1, ISSUES + 1):
        repo = "org%d/repo%d" % (n % 20, n % 20)
        labels = [{"name": "label%d" % ((n * k) % 200)} for k in (1, 7, 13)[: 1 + n % 3]]
        items.append({
            "url": "https://api.github.com/repos/%s/issues/%d" % (repo, n),
            "repository_url": "https://api.github.com/repos/%s" % repo,
            "html_url": "https://github.com/%s/issues/%d" % (repo, n),
            "number": n, "title": "issue %d" % n, "state": "closed", "labels": labels,
            "user": {"login": "user%d" % (n % 50)},
            "created_at": "2021-01-01T00:00:00Z", "updated_at": "2021-01-02T00:00:00Z",
        })
    with open(path, "w") as f:
        json.dump(items, f)


def terms(kind, n):
    """n ORed terms of one kind; every 500th names something that exists."""
    out = []
    for k in range(n):
        if kind == "label":
            out.append("label%d" % (k // 500) if k % 500 == 0 else "nolabel%d" % k)
        elif kind == "author":
            out.append("USER%d" % (k // 500) if k % 500 == 0 else "nobody%d" % k)
        else:
            out.append("org%d/repo%d" % (k // 500, k // 500) if k % 500 == 0 else "no%d/repo%d" % (k, k))
    return out


def timed(cmd, env):
    """(seconds, last line of output), or (None, None) past LIMIT."""
    start = time.perf_counter()
    try:
        out = subprocess.run(cmd, env=env, check=True, timeout=LIMIT,
                             stdout=subprocess.PIPE).stdout.decode()
    except subprocess.TimeoutExpired:
        return None, None
    return time.perf_counter() - start, out.strip().splitlines()[-1].strip()


def median_run(cmd, env):
    first = timed(cmd, env)
    if first[0] is None or first[0] > SLOW:
        return first
    runs = [timed(cmd, env) for _ in range(RUNS)]
    counts = {r[1] for r in runs}
    assert len(counts) == 1, counts
    return statistics.median(r[0] for r in runs), counts.pop()


def main():
    issuemine = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ISSUEMINE_DB=os.path.join(tmp, "bench.db"))
        dump = os.path.join(tmp, "dump.json")
        make_dump(dump)
        subprocess.run([issuemine, "import", "--quiet", dump], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        print("%d issues, %d runs each (median)" % (ISSUES, RUNS), flush=True)
        print("%-6s %7s %18s %18s %8s %8s" % ("kind", "terms", "IN list (s)", "old OR chain (s)",
                                             "ratio", "matches"), flush=True)
        for kind in ("label", "repo", "author"):
            for n in LENGTHS:
                values = terms(kind, n)
                qfile = os.path.join(tmp, "q.query")
                with open(qfile, "w") as f:
                    f.write(" OR ".join("%s:%s" % (kind, v) for v in values))
                cmd = [issuemine, "filter", "--count", "--query-file", qfile]
                new_t, new_c = median_run(cmd, env)
                old_t, old_c = median_run(cmd, dict(env, ISSUEMINE_QUERY_NO_MERGE="1"))
                if old_t is None:
                    print("%-6s %7d %18.3f %18s %8s %8s" % (kind, n, new_t, "> %.0f" % LIMIT,
                                                           "", new_c), flush=True)
                    continue
                if new_c != old_c:
                    sys.exit("%s x %d: the two shapes disagree: %s vs %s" % (kind, n, new_c, old_c))
                print("%-6s %7d %18.3f %18.3f %7.1fx %8s" % (kind, n, new_t, old_t, old_t / new_t,
                                                            new_c), flush=True)


main()
