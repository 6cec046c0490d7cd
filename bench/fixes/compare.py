#!/usr/bin/env python3
"""compare.py - issuemine fixes fetch against a straightforward script, side by side.

Starts the fake GitHub (tests/fakegithub/server.py, whose fixes.py serves
commits and pull requests consistent with its timelines), fetches the
closed issues of one repository once, draws samples of several sizes, then
with a latency per request lets each side fetch the fixes of each sample
from the same server: issuemine (a fresh copy of the database each time)
and reference.py. Reports per sample: requests made against the fewest the
endpoints allow (the server's own count: one per commit page of 300 files,
one per closing commit's pull-request lookup, one per pull request and per
100 of its files, one per gone change), files obtained against all the
server has for those changes, wall time, peak memory, and what a rerun of
issuemine costs. Prints Markdown tables.

  compare.py [--issuemine PATH] [--issues 1500] [--sizes 250,500,1000]
             [--latency 0.02] [--seed 1]
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKE = os.path.join(ROOT, "tests", "fakegithub")
sys.path.insert(0, FAKE)
import fixcheck  # noqa: E402

REPO = "pytorch/pytorch"
GNU_TIME = "/usr/bin/time"


def start_server(tmp, args):
    port_file = os.path.join(tmp, "fake.port")
    log = os.path.join(tmp, "fake.log")
    proc = subprocess.Popen(
        [sys.executable, os.path.join(FAKE, "server.py"), "--port-file", port_file, "--log",
         log, "--seed", str(args.seed), "--issues", str(args.issues), "--repo", REPO,
         "--profile", "lean", "--search-limit", "100000", "--core-limit", "1000000"],
        stdout=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    with open(port_file) as f:
        return proc, "http://127.0.0.1:%d" % int(f.read()), log


def config(url, obj):
    req = urllib.request.Request(url + "/_fake/config", data=json.dumps(obj).encode(),
                                 method="POST")
    urllib.request.urlopen(req, timeout=60).read()


def run(cmd, tmp):
    """Runs cmd; returns (stdout, seconds, peak RSS in MiB) as GNU time measures it."""
    rss_file = os.path.join(tmp, "rss")
    wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd if os.path.exists(GNU_TIME) else cmd
    env = dict(os.environ, GH_ENTERPRISE_TOKEN="bench-token")
    start = time.monotonic()
    proc = subprocess.run(wrapped, stdout=subprocess.PIPE, env=env)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit("%s failed (status %d)" % (" ".join(cmd), proc.returncode))
    kib = 0
    if wrapped is not cmd:
        with open(rss_file) as f:
            kib = int(f.read().split()[-1])
    return proc.stdout.decode(), seconds, kib / 1024


def log_lines(log):
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def truth_files(url, db, name):
    """Files the server has for the distinct changes the set's issues name, and the minimum."""
    want, minimum = fixcheck.truth(url, fixcheck.members(sqlite3.connect(db), name))
    files = {}
    for issue in want.values():
        for c in issue["changes"]:
            if not c["gone"]:
                files[c["key"]] = len(c["files"])
    return sum(files.values()), minimum


def side_issuemine(args, tmp, url, log, base, name):
    db = os.path.join(tmp, name + ".db")
    shutil.copy(base, db)
    before = len(log_lines(log))
    _, seconds, rss = run([args.issuemine, "--db", db, "fixes", "fetch", "-q", "--format",
                           "json", "--api-url", url, "--set", name], tmp)
    made = len(log_lines(log)) - before
    con = sqlite3.connect(db)
    files = con.execute("SELECT count(*) FROM fix_files").fetchone()[0]
    con.close()
    before = len(log_lines(log))
    _, rerun_seconds, _ = run([args.issuemine, "--db", db, "fixes", "fetch", "-q", "--api-url",
                               url, "--set", name], tmp)
    again = log_lines(log)[before:]
    return {"requests": made, "files": files, "seconds": seconds, "rss": rss,
            "rerun": len(again), "rerun_304": sum(1 for e in again if e["status"] == 304),
            "rerun_seconds": rerun_seconds}, db


def side_reference(args, tmp, url, log, base, name):
    before = len(log_lines(log))
    out, seconds, rss = run([sys.executable, os.path.join(HERE, "reference.py"), url, base,
                             name, os.path.join(tmp, name + ".json")], tmp)
    res = json.loads(out)
    return {"requests": len(log_lines(log)) - before, "files": res["files"],
            "seconds": seconds, "rss": rss}


def prepare(args, tmp, url):
    base = os.path.join(tmp, "base.db")
    # The reference script reads REST timelines: the database is fetched over REST.
    run([args.issuemine, "--db", base, "fetch", "--api", "rest", "-q", "--api-url", url, REPO],
        tmp)
    run([args.issuemine, "--db", base, "filter", "--save", "all", "is:issue is:closed"], tmp)
    for size in args.sizes:
        run([args.issuemine, "--db", base, "sample", "--from", "all", "--n", str(size),
             "--seed", "7", "--save", "s%d" % size], tmp)
    return base


def report(rows, args):
    print("%d issues and pull requests on the server; %.0f ms latency per request\n"
          % (args.issues, args.latency * 1000))
    print("| sample | issuemine requests | fewest possible | issuemine / fewest | reference "
          "requests | files: issuemine | files: reference | files on the server | wall (s): "
          "issuemine | wall (s): reference | peak MiB: issuemine | peak MiB: reference | "
          "rerun requests (304) |")
    print("| ---: " * 13 + "|")
    for size, im, ref, server_files, minimum in rows:
        print("| %d | %d | %d | %.2f | %d | %d (%.1f%%) | %d (%.1f%%) | %d | %.1f | %.1f | "
              "%.1f | %.1f | %d (%d) |" % (
                  size, im["requests"], minimum, im["requests"] / minimum, ref["requests"],
                  im["files"], 100.0 * im["files"] / server_files, ref["files"],
                  100.0 * ref["files"] / server_files, server_files, im["seconds"],
                  ref["seconds"], im["rss"], ref["rss"], im["rerun"], im["rerun_304"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--issuemine", default=os.path.join(ROOT, "build", "issuemine"))
    ap.add_argument("--issues", type=int, default=1500, help="issues and PRs on the server")
    ap.add_argument("--sizes", default="250,500,1000", help="sample sizes")
    ap.add_argument("--latency", type=float, default=0.02, help="seconds per request")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    args.sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-fixes.") as tmp:
        proc, url, log = start_server(tmp, args)
        try:
            base = prepare(args, tmp, url)
            config(url, {"latency": args.latency})
            for size in args.sizes:
                name = "s%d" % size
                im, db = side_issuemine(args, tmp, url, log, base, name)
                fixcheck_out = subprocess.run(
                    [sys.executable, os.path.join(FAKE, "fixcheck.py"), "db", url, db, name],
                    capture_output=True, text=True)
                if fixcheck_out.returncode:
                    raise SystemExit("issuemine did not store every fix: " + fixcheck_out.stderr)
                ref = side_reference(args, tmp, url, log, base, name)
                server_files, minimum = truth_files(url, db, name)
                rows.append((size, im, ref, server_files, minimum))
        finally:
            proc.terminate()
            proc.wait()
    report(rows, args)


if __name__ == "__main__":
    main()
