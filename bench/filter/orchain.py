#!/usr/bin/env python3
"""orchain.py ISSUEMINE: long OR chains of like terms, compiled as issuemine
compiles them (one IN list) against the shape it compiled before (one EXISTS
probe per term, ORed in parenthesised runs of about sqrt(n)), side by side on
the same database and the same SQLite.

The database: ISSUES issues (default 5,000) in 20 repositories, each with
one to three of 200 labels. For each chain length N (default 1,000, 4,000
and 10,000) and each kind (label:, repo:), the query ORs N terms of which a
few name labels or repositories that exist. issuemine's side is
"issuemine filter --count --query-file Q"; the reference side runs the old
shape's SQL through "issuemine sql" (the same binary, so the same SQLite).
Both must count the same issues. Times are the median of RUNS runs (default
3) after one warm-up run.
"""
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

ISSUES = int(os.environ.get("ISSUES", "5000"))
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
        else:
            out.append("org%d/repo%d" % (k // 500, k // 500) if k % 500 == 0 else "no%d/repo%d" % (k, k))
    return out


def quote(v):
    return "'" + v.replace("'", "''") + "'"


def old_shape(kind, values):
    """The SQL issuemine compiled before: a probe per term, ORed in runs of about sqrt(n)."""
    if kind == "label":
        probes = ["EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = i.id AND l.name = %s)" % quote(v)
                  for v in values]
    else:
        probes = ["r.full_name = %s" % quote(v) for v in values]
    run = math.ceil(math.sqrt(len(probes))) if len(probes) > 64 else len(probes)
    groups = ["(" + " OR ".join(probes[i:i + run]) + ")" for i in range(0, len(probes), run)]
    return ("SELECT count(*) FROM issues i JOIN repositories r ON r.id = i.repo_id "
            "WHERE i.state IS NOT NULL AND (" + " OR ".join(groups) + ")")


def timed(cmd, env, stdin_path=None):
    start = time.perf_counter()
    with open(stdin_path or os.devnull) as stdin:
        out = subprocess.run(cmd, env=env, check=True, stdin=stdin,
                             stdout=subprocess.PIPE).stdout.decode()
    return time.perf_counter() - start, out.strip().splitlines()[-1].strip()


def median_run(cmd, env, stdin_path=None):
    timed(cmd, env, stdin_path)
    runs = [timed(cmd, env, stdin_path) for _ in range(RUNS)]
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
        print("%d issues, %d runs each (median)" % (ISSUES, RUNS))
        print("%-6s %7s %18s %18s %8s %8s" % ("kind", "terms", "IN list (s)", "old OR chain (s)",
                                             "ratio", "matches"))
        for kind in ("label", "repo"):
            for n in LENGTHS:
                values = terms(kind, n)
                qfile = os.path.join(tmp, "q.query")
                with open(qfile, "w") as f:
                    f.write(" OR ".join("%s:%s" % (kind, v) for v in values))
                sqlfile = os.path.join(tmp, "q.sql")
                with open(sqlfile, "w") as f:
                    f.write(old_shape(kind, values))
                new_t, new_c = median_run([issuemine, "filter", "--count", "--query-file", qfile], env)
                # The old shape's SQL is too long for one argument: "sql -" reads it.
                old_t, old_c = median_run([issuemine, "sql", "--no-header", "-"], env, sqlfile)
                if new_c != old_c:
                    sys.exit("%s x %d: the two shapes disagree: %s vs %s" % (kind, n, new_c, old_c))
                print("%-6s %7d %18.3f %18.3f %7.1fx %8s" % (kind, n, new_t, old_t, old_t / new_t, new_c))


main()
