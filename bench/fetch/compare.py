#!/usr/bin/env python3
"""compare.py - issuemine fetch over REST, over GraphQL, and the reference study's
approach, side by side.

Starts the fake GitHub (tests/fakegithub/server.py) with a latency per
request, lets each side download the closed issues of one repository with
their timelines from its own fresh server (same seed, same corpus), and
reports per side: requests made, rate-limit points used (a REST request
that is not a 304 costs one, a GraphQL query its rateLimit.cost), issues
and timeline events obtained (and how many of the server's events that
is), wall time, the client's own CPU time (what of the wall is not latency
or the fake server) and peak memory; then the ratios. Prints a Markdown
table.

  compare.py [--issuemine PATH] [--issues 2000] [--latency 0.05] [--seed 1]
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(ROOT, "tests", "fakegithub", "server.py")
REPO = "acme/widgets"


def start_server(tmp, name, args):
    port_file = os.path.join(tmp, name + ".port")
    log = os.path.join(tmp, name + ".log")
    proc = subprocess.Popen(
        [sys.executable, SERVER, "--port-file", port_file, "--log", log, "--seed",
         str(args.seed), "--issues", str(args.issues), "--latency", str(args.latency),
         "--search-limit", "30", "--search-window", "60"],
        stdout=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    with open(port_file) as f:
        url = "http://127.0.0.1:%d" % int(f.read())
    return proc, url, log


def server_truth(url):
    q = urllib.request.quote("repo:%s is:issue is:closed" % REPO)
    with urllib.request.urlopen(url + "/_fake/dump?q=" + q, timeout=600) as r:
        dump = json.loads(r.read())
    return len(dump["issues"]), sum(len(i["events"]) for i in dump["issues"])


GNU_TIME = "/usr/bin/time"


def run(cmd, tmp, env=None):
    """Runs cmd; returns (stdout, seconds, peak RSS in MiB, CPU seconds).

    The peak comes from GNU time's %M: a child's ru_maxrss as seen from here
    would start at this Python process's size, which it was forked from.
    """
    rss_file = os.path.join(tmp, "rss")
    wrapped = [GNU_TIME, "-f", "%U %S %M", "-o", rss_file] + cmd \
        if os.path.exists(GNU_TIME) else cmd
    start = time.monotonic()
    proc = subprocess.Popen(wrapped, stdout=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    if status != 0:
        raise SystemExit("%s failed (status %d)" % (cmd[0], status))
    kib = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    if wrapped is not cmd:
        with open(rss_file) as f:
            user, system, kib = f.read().split()[-3:]
        kib, cpu = int(kib), float(user) + float(system)
    return out.decode(), seconds, kib / 1024, cpu


def read_log(log):
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def count_requests(log):
    """API requests (GET /rate_limit, which a wait for a reset asks, is free)."""
    return sum(1 for e in read_log(log) if e.get("kind") != "rate_limit")


def count_points(log):
    """Rate-limit points: GraphQL queries cost what the server charged, REST requests one
    each but 304s (and errors GitHub does not count: 401s)."""
    points = 0
    for e in read_log(log):
        if e.get("kind") == "rate_limit":
            continue
        if e.get("resource") == "graphql":
            points += e.get("cost") or 0
        elif e["status"] not in (0, 304, 401):
            points += 1
    return points


def side_issuemine(args, tmp, api):
    proc, url, log = start_server(tmp, "issuemine-" + api, args)
    try:
        truth = server_truth(url)
        db = os.path.join(tmp, "bench-%s.db" % api)
        env = dict(os.environ, GH_ENTERPRISE_TOKEN="bench-token")
        _, seconds, rss, cpu = run([args.issuemine, "--db", db, "fetch", "--api", api, "-q",
                                    "--format", "json", "--api-url", url, REPO], tmp, env)
        con = sqlite3.connect(db)
        issues, events = con.execute(
            "SELECT count(*), (SELECT count(*) FROM events) FROM issues").fetchone()
        con.close()
        return {"requests": count_requests(log), "points": count_points(log),
                "issues": issues, "events": events, "seconds": seconds, "rss": rss,
                "cpu": cpu, "db": db}, truth
    finally:
        proc.terminate()
        proc.wait()


def side_reference(args, tmp):
    proc, url, log = start_server(tmp, "reference", args)
    try:
        out, seconds, rss, cpu = run([sys.executable, os.path.join(HERE, "reference.py"), url,
                                      REPO, os.path.join(tmp, "reference.json")], tmp)
        res = json.loads(out)
        return {"requests": count_requests(log), "points": count_points(log),
                "issues": res["issues"], "events": res["events"], "seconds": seconds,
                "rss": rss, "cpu": cpu}
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--issuemine", default=os.path.join(ROOT, "build", "issuemine"))
    ap.add_argument("--issues", type=int, default=2000, help="issues and PRs on the server")
    ap.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fetch.") as tmp:
        rest, (issues, events) = side_issuemine(args, tmp, "rest")
        gql, _ = side_issuemine(args, tmp, "graphql")
        same = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fakegithub",
                                                            "check.py"), "same-rows",
                               rest["db"], gql["db"]], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT).stdout.decode().strip()
        ref = side_reference(args, tmp)
    print("%d issues and pull requests on the server, %d closed issues with %d timeline "
          "events; %.0f ms latency per request\n" % (args.issues, issues, events,
                                                     args.latency * 1000))
    print("| | issuemine REST | issuemine GraphQL | reference approach | REST / GraphQL "
          "| reference / GraphQL |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")

    def row(name, a, b, c, fmt):
        r1 = a / b if b else float("nan")
        r2 = c / b if b else float("nan")
        print("| %s | %s | %s | %s | %.2f | %.2f |" % (name, fmt % a, fmt % b, fmt % c, r1, r2))

    for name, key, fmt in (("requests", "requests", "%d"), ("rate-limit points", "points", "%d"),
                           ("issues obtained", "issues", "%d"),
                           ("timeline events obtained", "events", "%d"),
                           ("wall time (s)", "seconds", "%.1f"),
                           ("the client's CPU time (s)", "cpu", "%.1f"),
                           ("peak memory (MiB)", "rss", "%.1f")):
        row(name, rest[key], gql[key], ref[key], fmt)
    print("| share of the server's events | %.1f%% | %.1f%% | %.1f%% | | |"
          % (100.0 * rest["events"] / events, 100.0 * gql["events"] / events,
             100.0 * ref["events"] / events))
    print("\nREST and GraphQL databases, check.py same-rows: %s" % same)
    for side in (rest, gql):
        if side["issues"] != issues or side["events"] != events:
            raise SystemExit("issuemine did not get every issue and event")
    if "the same rows" not in same:
        raise SystemExit("the REST and GraphQL databases differ")


if __name__ == "__main__":
    main()
