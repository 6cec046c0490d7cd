#!/usr/bin/env python3
"""compare.py --issuemine PATH [--issues N] [--events M] [--jobs 1,4] [--seed S]

The external-rater benchmark: a sample of N issues (default 10,000, with M
timeline events in all, default 200,000: 20 per issue) coded by a trivial
rater, a shell command that reads its document and prints a fixed answer,
once per issue:

  * issuemine code --with COMMAND -j J, for each J of --jobs;
  * reference.py, the script way (document from Python's sqlite3,
    subprocess per issue, the answer parsed and checked, a CSV, then
    "issuemine codes import"), with the same J.

Reported per side: wall time in all and per issue, and the overhead per
issue: for issuemine its own accounting (--format json timing: building the
document, checking the answer, storing it, commits included; starting the
command separately), for the reference its wall time less the time spent
waiting for the commands (divided by J), plus the import. Every run is
checked: the rater must end with N x 3 codes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "bench", "out", "raters")
ANSWER = '{"codes": {"symptom": "crash", "location": "export", "cause": "typo"}, "note": "trivial"}'
TRIVIAL = "cat >/dev/null; echo '%s'" % ANSWER


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def prepare(issuemine, issues, events, seed):
    os.makedirs(OUT, exist_ok=True)
    dump = os.path.join(OUT, "dump-%d-%d-%d.jsonl" % (issues, events, seed))
    if not os.path.exists(dump):
        sh(sys.executable, os.path.join(ROOT, "bench", "filter", "generate.py"), dump,
           "--issues", str(int(issues * 1.25)), "--events", str(int(events * 1.25)),
           "--seed", str(seed))
    base = os.path.join(OUT, "base-%d-%d-%d.db" % (issues, events, seed))
    if not os.path.exists(base):
        tmp = base + ".tmp"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(tmp + suffix):
                os.remove(tmp + suffix)
        sh(issuemine, "--db", tmp, "import", "-q", dump)
        sh(issuemine, "--db", tmp, "filter", "is:issue", "--save", "issues")
        sh(issuemine, "--db", tmp, "sample", "--from", "issues", "--n", str(issues),
           "--seed", str(seed), "--save", "study")
        sh(issuemine, "--db", tmp, "taxonomy", "list")  # stores the default codebook
        os.rename(tmp, base)
    return base


def fresh(base, name):
    db = os.path.join(OUT, name + ".db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copy(base, db)
    return db


def codes_of(issuemine, db, rater):
    r = sh(issuemine, "--db", db, "sql", "--no-header",
           "SELECT count(*) FROM codes x JOIN raters r ON r.id = x.rater_id WHERE r.name = '%s'" % rater)
    return int(r.stdout.strip())


def run_issuemine(issuemine, base, jobs, issues):
    db = fresh(base, "issuemine-j%d" % jobs)
    t = time.monotonic()
    r = sh(issuemine, "--db", db, "code", "--sample", "study", "--rater", "trivial", "--with",
           TRIVIAL, "-j", str(jobs), "-q", "--format", "json")
    wall = time.monotonic() - t
    summary = json.loads(r.stdout)
    assert codes_of(issuemine, db, "trivial") == 3 * issues, "issuemine did not code every issue"
    tm = summary["timing"]
    return {"wall": wall, "per_issue_ms": wall * 1000 / issues, "overhead_ms": tm["overhead_ms"],
            "document_ms": tm["document_ms"], "check_ms": tm["check_ms"],
            "store_ms": tm["store_ms"], "spawn_ms": tm["spawn_ms"], "cpu_ms": tm["cpu_ms"],
            "commits": tm["commits"]}


def run_reference(issuemine, base, jobs, issues):
    db = fresh(base, "reference-j%d" % jobs)
    out_csv = os.path.join(OUT, "reference-j%d.csv" % jobs)
    t = time.monotonic()
    r = sh(sys.executable, os.path.join(HERE, "reference.py"), db, "study", "script", TRIVIAL,
           out_csv, "--jobs", str(jobs))
    ti = time.monotonic()
    sh(issuemine, "--db", db, "codes", "import", out_csv, "--sample", "study")
    wall = time.monotonic() - t
    rep = json.loads(r.stdout)
    assert rep["failed"] == 0 and codes_of(issuemine, db, "script") == 3 * issues, rep
    overhead = (wall - rep["waited"]) * 1000 / issues
    return {"wall": wall, "per_issue_ms": wall * 1000 / issues, "overhead_ms": overhead,
            "import_s": time.monotonic() - ti, "waited_s": rep["waited"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--issuemine", required=True)
    ap.add_argument("--issues", type=int, default=10000)
    ap.add_argument("--events", type=int, default=200000)
    ap.add_argument("--jobs", default="1,4")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    base = prepare(a.issuemine, a.issues, a.events, a.seed)
    print("%d issues, %d events on average per issue; trivial rater: %s" % (
        a.issues, a.events // a.issues, TRIVIAL))
    print("| -j | issuemine wall (s) | reference wall (s) | reference / issuemine | "
          "issuemine overhead per issue (ms) | reference overhead per issue (ms) | "
          "issuemine: document / check / store / start (ms) | issuemine CPU per issue (ms) | commits |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for jobs in [int(j) for j in a.jobs.split(",")]:
        im = run_issuemine(a.issuemine, base, jobs, a.issues)
        ref = run_reference(a.issuemine, base, jobs, a.issues)
        print("| %d | %.1f | %.1f | %.2f | %.3f | %.3f | %.3f / %.3f / %.3f / %.3f | %.3f | %d |" % (
            jobs, im["wall"], ref["wall"], ref["wall"] / im["wall"], im["overhead_ms"],
            ref["overhead_ms"], im["document_ms"], im["check_ms"], im["store_ms"],
            im["spawn_ms"], im["cpu_ms"], im["commits"]))
        sys.stdout.flush()
        if im["overhead_ms"] >= 2:
            print("issuemine's overhead per issue is %.3f ms: over the 2 ms target" % im["overhead_ms"])


if __name__ == "__main__":
    main()
